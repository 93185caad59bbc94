terraform {
  required_version = ">= 1.8"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
  }
}

output "staging_promotes_to_production" {
  value = provider::segmented::flow_allowed("staging", "production", "model-promotion") # true
}

output "production_promotes_to_development" {
  value = provider::segmented::flow_allowed("production", "development", "model-promotion") # false
}

# The whole tier policy as a matrix: purposes allowed from each tier (row) to
# each other tier (column).
locals {
  tiers    = ["development", "staging", "production", "shared"]
  purposes = ["model-promotion", "telemetry", "deploy", "artifact-pull"]
}

output "tier_policy" {
  value = {
    for from in local.tiers : from => {
      for to in local.tiers : to => [
        for p in local.purposes : p if provider::segmented::flow_allowed(from, to, p)
      ] if to != from
    }
  }
}
