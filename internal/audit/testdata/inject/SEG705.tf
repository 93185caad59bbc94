# Injected into examples/aws-complete: one dev key encrypts a dev and a staging log group.
resource "aws_kms_key" "injected" {
  provider            = aws.dev
  description         = "logs"
  enable_key_rotation = true
  tags                = { environment = "dev" }
}

resource "aws_cloudwatch_log_group" "injected_dev" {
  provider   = aws.dev
  name       = "/acme/dev/injected"
  kms_key_id = aws_kms_key.injected.arn
  tags       = { environment = "dev" }
}

resource "aws_cloudwatch_log_group" "injected_staging" {
  provider   = aws.staging
  name       = "/acme/staging/injected"
  kms_key_id = aws_kms_key.injected.arn # SEG705
  tags       = { environment = "staging" }
}
