# Added by scripts/audit-fixtures.sh unless the fixture configures the
# default kubernetes provider itself. No cluster: the schema provider that
# plans the fixtures contacts none.
provider "kubernetes" {}
