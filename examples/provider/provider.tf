terraform {
  required_version = ">= 1.8" # provider-defined functions
  required_providers {
    segmented = {
      source  = "segmentedml/segmented"
      version = "~> 0.1"
    }
  }
}

provider "segmented" {
  # Prefix of every generated name: {organization}-{environment}-{purpose}.
  organization = "acme"

  # Environments without a cidr get a /16 of this private range, chosen by a
  # hash of their name, so adding an environment never moves another.
  address_space = "10.64.0.0/10"

  # Added to the tags of every environment's resources.
  default_tags = {
    owner       = "ml-platform"
    cost-center = "ml-research"
  }
}
