# Added by scripts/audit-fixtures.sh unless the fixture configures the
# default google provider itself. No project: the fixtures name it.
provider "google" {
  region = "europe-west4"
}
