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

resource "segmented_ml_environment" "research" {
  name       = "research"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "555555555555"
  cidr       = "10.68.0.0/16"
  ci_subject = "repo:acme/research:environment:research"
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.dev.summary,
    segmented_ml_environment.research.summary,
  ]
}
