provider "segmented" {
  organization = "acme"
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

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.staging.summary,
    segmented_ml_environment.prod.summary,
  ]
  flows = [
    { from = "staging", to = "prod", purpose = "model-promotion" },
  ]
}
