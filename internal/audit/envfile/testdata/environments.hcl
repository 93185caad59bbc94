# An environments file for `terraform-provider-segmented audit --environments`.
#
# It tells the plan auditor which environment each hand-written resource
# belongs to, and which flows between environments are intended. Resources
# created through segmented_ml_environment need no entry here: the plan's
# summaries already say.

# The tag (AWS, Azure) and label (Google Cloud) keys whose value names an
# environment, tried in this order. Optional; these are the defaults.
tag_keys = ["segmented:environment", "environment", "env", "Environment"]

# One block per environment. The label is its name, as in
# segmented_ml_environment: lower-case letters, digits and single dashes,
# at most 16 characters.
environment "dev" {
  tier     = "development" # development | staging | production | shared
  cidrs    = ["10.1.0.0/16"]
  accounts = ["111111111111"] # AWS account IDs, Google Cloud project IDs, Azure subscription IDs
  names    = ["dev-*", "*-dev"]
}

environment "staging" {
  tier      = "staging"
  cidrs     = ["10.2.0.0/16"]
  accounts  = ["222222222222", "acme-ml-staging"]
  names     = ["staging-*"]
  addresses = ["module.staging"] # every resource inside module "staging"
}

environment "prod" {
  tier       = "production"
  cidrs      = ["10.3.0.0/16", "fd00:3::/48"]
  accounts   = ["333333333333"]
  principals = ["arn:aws:iam::333333333333:role/acme-prod-deployer"]
  names      = ["prod-*", "*-prod"]
  addresses  = ["module.prod", "aws_*.prod_*"]
}

environment "shared" {
  tier     = "shared"
  cidrs    = ["10.0.0.0/16"]
  accounts = ["444444444444", "00000000-0000-0000-0000-000000000004"]
  names    = ["shared-*"]
  # The log bucket is written inside module "prod" but belongs to the shared
  # services: a pattern for a resource beats one for the module holding it.
  addresses = ["module.prod.aws_s3_bucket.central_logs"]
}

# The intended flows, as in segmented_ml_topology. Content moves from -> to;
# the tier policy decides which purposes are allowed.
flow {
  from    = "staging"
  to      = "prod"
  purpose = "model-promotion" # model-promotion | telemetry | deploy | artifact-pull
}

flow {
  from    = "prod"
  to      = "shared"
  purpose = "telemetry"
}
