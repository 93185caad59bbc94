provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name         = "prod"
  tier         = "production"
  cloud        = "aws"
  region       = "us-east-1"
  account_id   = "333333333333"
  cidr         = "10.66.0.0/16"
  ci_subject   = "repo:acme/ml:environment:prod"
  human_access = "read"
}
