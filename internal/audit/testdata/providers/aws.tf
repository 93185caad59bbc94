# Added by scripts/audit-fixtures.sh unless the fixture configures the
# default aws provider itself: fake credentials, nothing asked of AWS.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
