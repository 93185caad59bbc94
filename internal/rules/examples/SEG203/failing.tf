provider "segmented" {
  organization = "acme-research"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod" # SEG203: "acme-research-prod-data-scientist" is 33 characters; a service account ID has at most 30
  tier       = "production"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-prod"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"
}
