# What the audit cannot read from the plan: each environment's tier, ranges
# and accounts, and the flows the platform has declared.

environment "dev" {
  tier     = "development"
  cidrs    = ["10.1.0.0/16"]
  accounts = ["111111111111"]
}

environment "staging" {
  tier     = "staging"
  cidrs    = ["10.2.0.0/16"]
  accounts = ["222222222222"]
}

environment "prod" {
  tier     = "production"
  cidrs    = ["10.3.0.0/16"]
  accounts = ["333333333333"]
}

environment "shared" {
  tier     = "shared"
  cidrs    = ["10.9.0.0/16"]
  accounts = ["999999999999"]
}

flow {
  from    = "prod"
  to      = "shared"
  purpose = "telemetry"
}
