provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "platform" {
  name       = "ml-prod" # acme + ml-prod: acme-ml-prod-*
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/platform:environment:ml-prod"
}

resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.platform.summary,
    # The ML team's production, planned in its own configuration with
    # organization = "acme-ml": the summary that configuration outputs.
    {
      name         = "prod" # SEG609: acme-ml + prod is acme-ml-prod-* too
      organization = "acme-ml"
      tier         = "production"
      cloud        = "aws"
      region       = "us-east-1"
      account_id   = "444444444444"
      cidr         = "10.67.0.0/16"
      ci_subject   = "repo:acme-ml/models:environment:prod"
    },
  ]
}
