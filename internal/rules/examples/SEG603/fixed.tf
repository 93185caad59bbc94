provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.64.0.0/16"
  ci_subject = "repo:acme/ml:environment:dev"
}

resource "segmented_ml_environment" "staging" {
  name       = "staging"
  tier       = "staging"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "222222222222"
  cidr       = "10.65.0.0/16"
  ci_subject = "repo:acme/ml:environment:staging"
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.dev.summary,
    segmented_ml_environment.staging.summary,
  ]
  flows = [
    { from = "dev", to = "staging", purpose = "model-promotion" },
  ]
}
