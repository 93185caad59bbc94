terraform {
  required_version = ">= 1.8"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
  }
}

provider "segmented" {
  organization  = "acme"
  address_space = "10.64.0.0/10"
}

# The smallest environment: everything else defaults by tier, and the
# defaults are secure. Its cidr comes from the provider's address_space.
resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  ci_subject = "repo:acme/ml:environment:dev"
}

# A production environment with GPU pools, one declared entry point and a
# recorded exception.
resource "segmented_ml_environment" "prod" {
  name                = "prod"
  tier                = "production"
  cloud               = "aws"
  region              = "us-east-1"
  account_id          = "333333333333"
  cidr                = "10.66.0.0/16"
  data_classification = "restricted"

  # The one CI identity that may deploy here (GitHub Actions OIDC).
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [
    {
      name          = "inference"
      instance_type = "g5.2xlarge"
      min_size      = 2
      max_size      = 8
      purpose       = "inference"
    },
    {
      name          = "batch-scoring"
      instance_type = "g6.xlarge"
      max_size      = 16
      spot          = true
      purpose       = "inference"
    },
  ]

  # Everything not declared here is denied.
  ingress = [{
    name       = "inference-api"
    port       = 443
    from_cidrs = ["203.0.113.0/24"]
  }]

  # Explicit, reviewed exceptions; the blueprint records them.
  waivers = [{
    rule   = "SEG403"
    reason = "batch-scoring is retried by the queue and serves no user traffic"
  }]
}

# The blueprint is known at plan time, so a module can for_each over its
# parts, such as segmented_ml_environment.prod.blueprint.network.subnets.
# Pass it whole to the generated module:
#
#   module "prod" {
#     source    = "./modules/aws-ml-environment"
#     blueprint = segmented_ml_environment.prod.blueprint
#   }

output "dev_cidr" {
  description = "The range allocated to dev from address_space."
  value       = segmented_ml_environment.dev.cidr
}
