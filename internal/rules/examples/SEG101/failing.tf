provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "172.32.0.0/16" # SEG101: 172.16.0.0/12 ends at 172.31.255.255
  ci_subject = "repo:acme/ml:environment:prod"
}
