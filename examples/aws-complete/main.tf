# The quick start's four environments and their topology, each built by the
# generated AWS module in its own account. `make test` validates this against
# the real hashicorp/aws schema; `make test-e2e` applies and destroys it on a
# local moto server.

terraform {
  required_version = ">= 1.8"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

variable "region" {
  description = "Region of every environment."
  type        = string
  default     = "us-east-1"
}

variable "accounts" {
  description = "AWS account of each environment."
  type        = map(string)
  default = {
    dev     = "111111111111"
    staging = "222222222222"
    prod    = "333333333333"
    shared  = "444444444444"
  }
}

variable "apply_role_name" {
  description = "Role that Terraform assumes in each environment's account to build it."
  type        = string
  default     = "segmented-apply"
}

variable "s3_use_path_style" {
  description = "Address S3 buckets by path, as local AWS API emulators need."
  type        = bool
  default     = false
}

variable "eks_cluster_access" {
  description = "Whether the clusters use EKS access entries and Pod Identity (the modules' cluster_access); false only for an emulator without those APIs."
  type        = bool
  default     = true
}

provider "segmented" {
  organization  = "acme"
  address_space = "10.64.0.0/10"
  default_tags = {
    owner = "ml-platform"
  }
}

# One AWS provider per environment, each confined to that environment's account.
provider "aws" {
  alias               = "dev"
  region              = var.region
  allowed_account_ids = [var.accounts.dev]
  s3_use_path_style   = var.s3_use_path_style
  assume_role {
    role_arn = format("arn:aws:iam::%s:role/%s", var.accounts.dev, var.apply_role_name)
  }
}

provider "aws" {
  alias               = "staging"
  region              = var.region
  allowed_account_ids = [var.accounts.staging]
  s3_use_path_style   = var.s3_use_path_style
  assume_role {
    role_arn = format("arn:aws:iam::%s:role/%s", var.accounts.staging, var.apply_role_name)
  }
}

provider "aws" {
  alias               = "prod"
  region              = var.region
  allowed_account_ids = [var.accounts.prod]
  s3_use_path_style   = var.s3_use_path_style
  assume_role {
    role_arn = format("arn:aws:iam::%s:role/%s", var.accounts.prod, var.apply_role_name)
  }
}

provider "aws" {
  alias               = "shared"
  region              = var.region
  allowed_account_ids = [var.accounts.shared]
  s3_use_path_style   = var.s3_use_path_style
  assume_role {
    role_arn = format("arn:aws:iam::%s:role/%s", var.accounts.shared, var.apply_role_name)
  }
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = var.region
  account_id = var.accounts.dev
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
  region     = var.region
  account_id = var.accounts.staging
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
  region     = var.region
  account_id = var.accounts.prod
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [{
    name          = "inference"
    instance_type = "g6.2xlarge"
    min_size      = 2
    max_size      = 16
    purpose       = "inference"
  }]

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
  region     = var.region
  account_id = var.accounts.shared
  ci_subject = "repo:acme/platform:environment:shared"
}

resource "segmented_ml_topology" "main" {
  environments = [for e in [segmented_ml_environment.dev, segmented_ml_environment.staging, segmented_ml_environment.prod, segmented_ml_environment.shared] : e.summary]
  flows = [
    { from = "dev", to = "staging", purpose = "model-promotion" },
    { from = "staging", to = "prod", purpose = "model-promotion" },
    { from = "dev", to = "shared", purpose = "telemetry" },
    { from = "staging", to = "shared", purpose = "telemetry" },
    { from = "prod", to = "shared", purpose = "telemetry" },
    { from = "shared", to = "prod", purpose = "deploy" },
    { from = "shared", to = "prod", purpose = "artifact-pull" },
  ]
}

module "dev" {
  source    = "../../modules/aws-ml-environment"
  providers = { aws = aws.dev }
  blueprint = segmented_ml_environment.dev.blueprint
  boundary  = segmented_ml_topology.main.boundaries["dev"]

  cluster_access = var.eks_cluster_access
}

module "staging" {
  source    = "../../modules/aws-ml-environment"
  providers = { aws = aws.staging }
  blueprint = segmented_ml_environment.staging.blueprint
  boundary  = segmented_ml_topology.main.boundaries["staging"]

  cluster_access = var.eks_cluster_access
}

module "prod" {
  source    = "../../modules/aws-ml-environment"
  providers = { aws = aws.prod }
  blueprint = segmented_ml_environment.prod.blueprint
  boundary  = segmented_ml_topology.main.boundaries["prod"]

  cluster_access = var.eks_cluster_access
}

module "shared" {
  source    = "../../modules/aws-ml-environment"
  providers = { aws = aws.shared }
  blueprint = segmented_ml_environment.shared.blueprint
  boundary  = segmented_ml_topology.main.boundaries["shared"]

  cluster_access = var.eks_cluster_access
}

output "environments" {
  description = "Per environment: its account, VPC, cluster and the ARNs of its roles."
  value = {
    for name, m in { dev = module.dev, staging = module.staging, prod = module.prod, shared = module.shared } :
    name => {
      account   = var.accounts[name]
      vpc_id    = m.vpc_id
      cluster   = m.cluster_name
      role_arns = m.role_arns
    }
  }
}
