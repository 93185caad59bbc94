provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-prod"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [{
    name              = "inference"
    instance_type     = "n1-standard-16"
    accelerator       = "nvidia-tesla-v100"
    accelerator_count = 2
    max_size          = 4
    purpose           = "inference"
  }]
}
