# Injected into examples/aws-complete: a prod key whose policy names staging's account.
resource "aws_kms_key" "injected" {
  provider            = aws.prod
  description         = "prod exports"
  enable_key_rotation = true
  tags                = { environment = "prod" }
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:root" } # SEG704
      Action    = "kms:Decrypt"
      Resource  = "*"
    }]
  })
}
