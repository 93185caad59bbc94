provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-prod"
  cidr       = "10.66.0.0/22" # SEG104: a GKE environment is at least a /20
  ci_subject = "repo:acme/ml:environment:prod"
}
