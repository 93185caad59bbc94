provider "segmented" {
  organization = "acme"
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
    name          = "training"
    instance_type = "g5.12xlarge" # 4 GPUs per node
    max_size      = 2
    purpose       = "training"
  }]

  namespaces = [
    { purpose = "training", gpu_quota = 16 }, # SEG804: the pool serves 8 GPUs at most
    { purpose = "inference" },
    { purpose = "pipelines" },
  ]
}
