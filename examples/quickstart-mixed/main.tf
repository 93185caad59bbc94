# One topology across three clouds: development on Azure, staging and
# production on Google Cloud, shared services on AWS, each in its own
# subscription, project or account, planned without any cloud account. The
# telemetry flows into the shared AWS environment open rules on both sides,
# each in its own cloud's firewall: a network security group on Azure, a VPC
# firewall rule on Google Cloud, a security group and network ACLs on AWS.

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
  cloud      = "azure"
  region     = "westeurope"
  account_id = "11111111-1111-4111-8111-111111111111"
  cidr       = "10.64.0.0/16"
  ci_subject = "repo:acme/ml:environment:dev"

  gpu_node_pools = [{
    name          = "experiments"
    instance_type = "Standard_NC8as_T4_v3"
    max_size      = 4
    spot          = true
    purpose       = "training"
  }]
}

resource "segmented_ml_environment" "staging" {
  name       = "staging"
  tier       = "staging"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-staging"
  cidr       = "10.65.0.0/16"
  ci_subject = "repo:acme/ml:environment:staging"

  gpu_node_pools = [{
    name              = "inference"
    instance_type     = "n1-standard-8"
    accelerator       = "nvidia-tesla-t4"
    accelerator_count = 1
    min_size          = 1
    max_size          = 4
    purpose           = "inference"
  }]
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-prod"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [
    {
      name          = "inference"
      instance_type = "g2-standard-8"
      min_size      = 2
      max_size      = 16
      purpose       = "inference"
    },
    {
      name          = "training"
      instance_type = "a3-highgpu-8g"
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

resource "segmented_ml_environment" "shared" {
  name       = "shared"
  tier       = "shared"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "444444444444"
  cidr       = "10.67.0.0/16"
  ci_subject = "repo:acme/platform:environment:shared"
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.dev.summary,
    segmented_ml_environment.staging.summary,
    segmented_ml_environment.prod.summary,
    segmented_ml_environment.shared.summary,
  ]
  flows = [
    { from = "staging", to = "prod", purpose = "model-promotion" },
    { from = "dev", to = "shared", purpose = "telemetry" },
    { from = "staging", to = "shared", purpose = "telemetry" },
    { from = "prod", to = "shared", purpose = "telemetry" },
  ]
}

output "reachability" {
  description = "Who may send what to whom."
  value       = segmented_ml_topology.main.reachability
}

output "mermaid" {
  description = "The trust-boundary diagram."
  value       = segmented_ml_topology.main.mermaid
}

output "environments" {
  description = "Per environment: its cloud, range, and how many subnets, firewall rules, identities, keys and GPU pools its blueprint has."
  value = {
    for env in [segmented_ml_environment.dev, segmented_ml_environment.staging, segmented_ml_environment.prod, segmented_ml_environment.shared] :
    env.name => {
      tier           = env.tier
      cloud          = env.cloud
      cidr           = env.blueprint.network.cidr
      subnets        = length(env.blueprint.network.subnets)
      firewall_rules = length(env.blueprint.firewall_rules)
      identities     = length(env.blueprint.identities)
      keys           = length(env.blueprint.keys)
      gpu_pools      = length(env.blueprint.node_pools)
      gpus_at_max    = sum(concat([0], [for p in env.blueprint.node_pools : p.gpu_count * p.max_size]))
    }
  }
}

output "telemetry_firewall" {
  description = "The rules the telemetry flows into shared open: on Azure in dev, on Google Cloud in prod, on AWS in shared."
  value = {
    dev    = [for r in segmented_ml_topology.main.boundaries["dev"].firewall_rules : "${r.layer} ${r.direction} ${join(",", r.cidrs)}"]
    prod   = [for r in segmented_ml_topology.main.boundaries["prod"].firewall_rules : "${r.layer} ${r.direction} ${join(",", r.cidrs)}"]
    shared = [for r in segmented_ml_topology.main.boundaries["shared"].firewall_rules : "${r.layer} ${r.direction} ${join(",", r.cidrs)}" if r.layer == "security_group"]
  }
}
