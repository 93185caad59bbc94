terraform {
  required_version = ">= 1.8"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
  }
}

output "third_block" {
  value = provider::segmented::environment_cidr("10.64.0.0/10", 16, 2) # "10.66.0.0/16"
}

# Consecutive /16 blocks of one address space for a list of environments.
locals {
  environments = ["dev", "staging", "prod", "shared"]
}

output "environment_cidrs" {
  # { dev = "10.64.0.0/16", staging = "10.65.0.0/16", prod = "10.66.0.0/16", shared = "10.67.0.0/16" }
  value = {
    for i, name in local.environments : name => provider::segmented::environment_cidr("10.64.0.0/10", 16, i)
  }
}
