# Added by scripts/audit-fixtures.sh unless the fixture configures the
# default azurerm provider itself. No subscription: the fixtures name it.
provider "azurerm" {
  features {}
}
