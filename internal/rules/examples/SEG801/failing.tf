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

  namespaces = [
    { purpose = "training", pod_security = "privileged" }, # SEG801: pods may mount the GPU node
    { purpose = "inference" },
  ]
}
