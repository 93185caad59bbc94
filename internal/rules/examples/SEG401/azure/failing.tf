provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "azure"
  region     = "westeurope"
  account_id = "33333333-3333-4333-8333-333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [{
    name          = "inference"
    instance_type = "Standard_NC6s_v3" # SEG401: a retired V100 size; the catalog knows the T4, A100, H100, A10 and M60 series
    max_size      = 4
    purpose       = "inference"
  }]
}
