environment "dev" {
  tier     = "development"
  cidrs    = ["10.1.0.0/16"]
  accounts = ["111111111111"]
}

environment "prod" {
  tier      = "production"
  cidrs     = ["10.3.0.0/16"]
  accounts  = ["333333333333"]
  addresses = ["terraform_data.ci_principal"]
}
