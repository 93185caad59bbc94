# Injected into examples/aws-complete: a prod role that dev's account may assume.
resource "aws_iam_role" "injected" {
  provider = aws.prod
  name     = "prod-break-glass"
  tags     = { environment = "prod" }
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111111111111:root" } # SEG703
    }]
  })
}
