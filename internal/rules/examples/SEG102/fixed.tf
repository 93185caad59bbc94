provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16" # room for every pool at max_size
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [{
    name          = "training"
    instance_type = "p4d.24xlarge"
    max_size      = 32
    purpose       = "training"
  }]
}
