provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"
}

resource "segmented_ml_environment" "shared" {
  name       = "shared"
  tier       = "shared"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "444444444444"
  cidr       = "10.67.0.0/16"
  ci_subject = "repo:acme/ml:environment:shared"

  namespaces = [{ purpose = "pipelines" }, { purpose = "telemetry" }]
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.prod.summary,
    segmented_ml_environment.shared.summary,
  ]
  flows = [
    { from = "prod", to = "shared", purpose = "telemetry" },
  ]
}
