# Three isolated ML environments on AWS, planned without any cloud account:
# the provider computes and checks everything at plan time.

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
  default_tags = {
    owner = "ml-platform"
  }
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.64.0.0/16"
  ci_subject = "repo:acme/ml:environment:dev"

  gpu_node_pools = [{
    name          = "experiments"
    instance_type = "g5.xlarge"
    max_size      = 4
    spot          = true
    purpose       = "training"
  }]
}

resource "segmented_ml_environment" "staging" {
  name       = "staging"
  tier       = "staging"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "222222222222"
  cidr       = "10.65.0.0/16"
  ci_subject = "repo:acme/ml:environment:staging"

  gpu_node_pools = [{
    name          = "inference"
    instance_type = "g5.2xlarge"
    min_size      = 1
    max_size      = 4
    purpose       = "inference"
  }]
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [
    {
      name          = "inference"
      instance_type = "g6.2xlarge"
      min_size      = 2
      max_size      = 16
      purpose       = "inference"
    },
    {
      name          = "training"
      instance_type = "p4d.24xlarge"
      max_size      = 4
      purpose       = "training"
    },
  ]

  ingress = [{
    name       = "inference-api"
    port       = 443
    from_cidrs = ["203.0.113.0/24"]
  }]
}

output "environments" {
  description = "Per environment: its range, and how many subnets, firewall rules, roles, keys and GPU pools its blueprint has."
  value = {
    for env in [segmented_ml_environment.dev, segmented_ml_environment.staging, segmented_ml_environment.prod] :
    env.name => {
      tier           = env.tier
      cidr           = env.blueprint.network.cidr
      subnets        = length(env.blueprint.network.subnets)
      firewall_rules = length(env.blueprint.firewall_rules)
      iam_roles      = length(env.blueprint.iam_roles)
      kms_keys       = length(env.blueprint.kms_keys)
      gpu_pools      = length(env.blueprint.node_pools)
      gpus_at_max    = sum(concat([0], [for p in env.blueprint.node_pools : p.gpu_count * p.max_size]))
    }
  }
}
