# The quick start's four environments on Azure, one subscription each, with
# their topology, each built by the generated Azure module in its own
# subscription. `make test` validates this against the real hashicorp/azurerm
# schema.

terraform {
  required_version = ">= 1.9"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 5.2, < 6.0"
    }
  }
}

variable "region" {
  description = "Region of every environment."
  type        = string
  default     = "westeurope"
}

variable "subscriptions" {
  description = "Azure subscription of each environment."
  type        = map(string)
  default = {
    dev     = "11111111-1111-4111-8111-111111111111"
    staging = "22222222-2222-4222-8222-222222222222"
    prod    = "33333333-3333-4333-8333-333333333333"
    shared  = "44444444-4444-4444-8444-444444444444"
  }
}

variable "data_scientists" {
  description = "Object ID of the Entra group whose members act as the data-scientist identity in development and staging."
  type        = string
  default     = "00000000-0000-4000-8000-00000000d5d5"
}

provider "segmented" {
  organization  = "acme"
  address_space = "10.64.0.0/10"
  default_tags = {
    owner = "ml-platform"
  }
}

# One azurerm provider per environment, each confined to that environment's
# subscription.
provider "azurerm" {
  alias           = "dev"
  subscription_id = var.subscriptions.dev
  features {}
}

provider "azurerm" {
  alias           = "staging"
  subscription_id = var.subscriptions.staging
  features {}
}

provider "azurerm" {
  alias           = "prod"
  subscription_id = var.subscriptions.prod
  features {}
}

provider "azurerm" {
  alias           = "shared"
  subscription_id = var.subscriptions.shared
  features {}
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "azure"
  region     = var.region
  account_id = var.subscriptions.dev
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
  cloud      = "azure"
  region     = var.region
  account_id = var.subscriptions.staging
  cidr       = "10.65.0.0/16"
  ci_subject = "repo:acme/ml:environment:staging"

  gpu_node_pools = [{
    name          = "inference"
    instance_type = "Standard_NC24ads_A100_v4"
    min_size      = 1
    max_size      = 4
    purpose       = "inference"
  }]
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "azure"
  region     = var.region
  account_id = var.subscriptions.prod
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  gpu_node_pools = [
    {
      name          = "inference"
      instance_type = "Standard_NC24ads_A100_v4"
      min_size      = 2
      max_size      = 16
      purpose       = "inference"
    },
    {
      name          = "training"
      instance_type = "Standard_ND96isr_H100_v5"
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
  cloud      = "azure"
  region     = var.region
  account_id = var.subscriptions.shared
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

# A grant names an identity of another environment (staging's promoter reads
# dev's models; prod's kubelet pulls from shared's registry): each module
# takes the principal IDs of the identities its grants name from the module
# that creates them.
module "dev" {
  source                = "../../modules/azure-ml-environment"
  providers             = { azurerm = azurerm.dev }
  blueprint             = segmented_ml_environment.dev.blueprint
  boundary              = segmented_ml_topology.main.boundaries["dev"]
  human_principals      = { "data-scientist" = [var.data_scientists] }
  grantee_principal_ids = module.staging.principal_ids_by_resource_id
}

module "staging" {
  source                = "../../modules/azure-ml-environment"
  providers             = { azurerm = azurerm.staging }
  blueprint             = segmented_ml_environment.staging.blueprint
  boundary              = segmented_ml_topology.main.boundaries["staging"]
  human_principals      = { "data-scientist" = [var.data_scientists] }
  grantee_principal_ids = module.prod.principal_ids_by_resource_id
}

module "prod" {
  source    = "../../modules/azure-ml-environment"
  providers = { azurerm = azurerm.prod }
  blueprint = segmented_ml_environment.prod.blueprint
  boundary  = segmented_ml_topology.main.boundaries["prod"]
}

module "shared" {
  source                = "../../modules/azure-ml-environment"
  providers             = { azurerm = azurerm.shared }
  blueprint             = segmented_ml_environment.shared.blueprint
  boundary              = segmented_ml_topology.main.boundaries["shared"]
  grantee_principal_ids = module.prod.principal_ids_by_resource_id
}
