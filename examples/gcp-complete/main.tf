# The quick start's four environments on Google Cloud, one project each, with
# their topology, each built by the generated Google Cloud module in its own
# project. `make test` validates this against the real hashicorp/google
# schema.

terraform {
  required_version = ">= 1.9"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
    google = {
      source  = "hashicorp/google"
      version = ">= 8.0, < 9.0"
    }
  }
}

variable "region" {
  description = "Region of every environment."
  type        = string
  default     = "europe-west4"
}

variable "projects" {
  description = "Google Cloud project of each environment: its ID and its number."
  type        = map(object({ id = string, number = string }))
  default = {
    dev     = { id = "acme-ml-dev", number = "111111111111" }
    staging = { id = "acme-ml-staging", number = "222222222222" }
    prod    = { id = "acme-ml-prod", number = "333333333333" }
    shared  = { id = "acme-ml-shared", number = "444444444444" }
  }
}

variable "data_scientists" {
  description = "The group whose members may act as each environment's data-scientist service account (development and staging only)."
  type        = string
  default     = "group:ml-data-scientists@example.com"
}

provider "segmented" {
  organization  = "acme"
  address_space = "10.64.0.0/10"
  default_tags = {
    owner = "ml-platform"
  }
}

# One Google provider per environment, each confined to that environment's
# project.
provider "google" {
  alias   = "dev"
  project = var.projects.dev.id
  region  = var.region
}

provider "google" {
  alias   = "staging"
  project = var.projects.staging.id
  region  = var.region
}

provider "google" {
  alias   = "prod"
  project = var.projects.prod.id
  region  = var.region
}

provider "google" {
  alias   = "shared"
  project = var.projects.shared.id
  region  = var.region
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "gcp"
  region     = var.region
  account_id = var.projects.dev.id
  cidr       = "10.64.0.0/16"
  ci_subject = "repo:acme/ml:environment:dev"

  gpu_node_pools = [{
    name          = "experiments"
    instance_type = "g2-standard-4"
    max_size      = 4
    spot          = true
    purpose       = "training"
  }]
}

resource "segmented_ml_environment" "staging" {
  name       = "staging"
  tier       = "staging"
  cloud      = "gcp"
  region     = var.region
  account_id = var.projects.staging.id
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
  region     = var.region
  account_id = var.projects.prod.id
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
  cloud      = "gcp"
  region     = var.region
  account_id = var.projects.shared.id
  cidr       = "10.67.0.0/16"
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
    { from = "shared", to = "prod", purpose = "artifact-pull" },
  ]
}

module "dev" {
  source         = "../../modules/gcp-ml-environment"
  providers      = { google = google.dev }
  blueprint      = segmented_ml_environment.dev.blueprint
  boundary       = segmented_ml_topology.main.boundaries["dev"]
  project_number = var.projects.dev.number
  impersonators  = { "data-scientist" = [var.data_scientists] }
}

module "staging" {
  source         = "../../modules/gcp-ml-environment"
  providers      = { google = google.staging }
  blueprint      = segmented_ml_environment.staging.blueprint
  boundary       = segmented_ml_topology.main.boundaries["staging"]
  project_number = var.projects.staging.number
  impersonators  = { "data-scientist" = [var.data_scientists] }
}

module "prod" {
  source         = "../../modules/gcp-ml-environment"
  providers      = { google = google.prod }
  blueprint      = segmented_ml_environment.prod.blueprint
  boundary       = segmented_ml_topology.main.boundaries["prod"]
  project_number = var.projects.prod.number
}

module "shared" {
  source         = "../../modules/gcp-ml-environment"
  providers      = { google = google.shared }
  blueprint      = segmented_ml_environment.shared.blueprint
  boundary       = segmented_ml_topology.main.boundaries["shared"]
  project_number = var.projects.shared.number
}

output "environments" {
  description = "Per environment: its project, network, cluster and the emails of its service accounts."
  value = {
    for name, m in { dev = module.dev, staging = module.staging, prod = module.prod, shared = module.shared } :
    name => {
      network          = m.network_name
      cluster          = m.cluster_name
      service_accounts = m.service_account_emails
    }
  }
}
