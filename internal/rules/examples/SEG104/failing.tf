provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.0.0.0/8" # SEG104: an AWS VPC is at most a /16
  ci_subject = "repo:acme/ml:environment:prod"
}
