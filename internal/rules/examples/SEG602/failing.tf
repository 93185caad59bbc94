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
    segmented_ml_environment.dev.summary,
    segmented_ml_environment.prod.summary,
  ]
  flows = [
    { from = "dev", to = "prod", purpose = "model-promotion" }, # SEG602: skips staging
  ]
}
