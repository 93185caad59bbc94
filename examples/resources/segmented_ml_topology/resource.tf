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

locals {
  # One account and one range per environment.
  environments = {
    dev     = { tier = "development", account_id = "111111111111", cidr = "10.64.0.0/16" }
    staging = { tier = "staging", account_id = "222222222222", cidr = "10.65.0.0/16" }
    prod    = { tier = "production", account_id = "333333333333", cidr = "10.66.0.0/16" }
    shared  = { tier = "shared", account_id = "444444444444", cidr = "10.67.0.0/16" }
  }
}

resource "segmented_ml_environment" "this" {
  for_each = local.environments

  name       = each.key
  tier       = each.value.tier
  cloud      = "aws"
  region     = "us-east-1"
  account_id = each.value.account_id
  cidr       = each.value.cidr
  ci_subject = "repo:acme/ml:environment:${each.key}"
}

# Every pair of environments is checked at plan time; anything not declared
# in flows is denied.
resource "segmented_ml_topology" "main" {
  environments = [for env in segmented_ml_environment.this : env.summary]
  flows = [
    # Models move up through review.
    { from = "dev", to = "staging", purpose = "model-promotion" },
    { from = "staging", to = "prod", purpose = "model-promotion" },
    # Logs and metrics land in the shared sink.
    { from = "dev", to = "shared", purpose = "telemetry" },
    { from = "staging", to = "shared", purpose = "telemetry" },
    { from = "prod", to = "shared", purpose = "telemetry" },
    # Shared CI deploys, and images come from the shared registry.
    { from = "shared", to = "prod", purpose = "deploy" },
    { from = "shared", to = "prod", purpose = "artifact-pull" },
  ]
}

# What the flows add to production: pass it to production's module as its
# boundary.
output "prod_boundary" {
  value = segmented_ml_topology.main.boundaries["prod"]
}

output "reachability" {
  value = segmented_ml_topology.main.reachability
}

output "diagram" {
  value = segmented_ml_topology.main.mermaid
}
