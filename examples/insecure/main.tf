# An environment that breaks several rules. `terraform plan` fails on it,
# naming each rule, the attribute at fault, the CWE and the fix; the demo
# shows those diagnostics. Do not copy this file.

terraform {
  required_version = ">= 1.8"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
  }
}

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

  human_access       = "write"       # SEG201, SEG803: people write production models and workloads
  ci_subject         = "repo:acme/*" # SEG202: any repository could deploy
  log_retention_days = 30            # SEG501: production keeps logs a year
  key_rotation_days  = 365           # SEG301: production rotates keys every 90 days

  gpu_node_pools = [{
    name          = "serving"
    instance_type = "g5.2xlarge"
    max_size      = 4
    spot          = true # SEG403 (warning): spot production inference
    purpose       = "inference"
  }]

  ingress = [{
    name       = "ssh"
    port       = 22 # SEG103: SSH open to the internet
    from_cidrs = ["0.0.0.0/0"]
  }]
}

# Two environments that are each fine, and a topology that is not: their
# ranges overlap (SEG601), and staging would send models down to
# development (SEG602).
resource "segmented_ml_environment" "research" {
  name       = "research"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.64.0.0/16"
}

resource "segmented_ml_environment" "staging" {
  name       = "staging"
  tier       = "staging"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "222222222222"
  cidr       = "10.64.128.0/17"
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.research.summary,
    segmented_ml_environment.staging.summary,
  ]
  flows = [
    { from = "staging", to = "research", purpose = "model-promotion" },
  ]
}
