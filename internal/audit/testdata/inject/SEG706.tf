# Injected into examples/aws-complete: a prod bucket that dev's account may read.
resource "aws_s3_bucket" "injected" {
  provider = aws.prod
  bucket   = "acme-prod-injected"
  tags     = { environment = "prod" }
}

resource "aws_s3_bucket_policy" "injected" {
  provider = aws.prod
  bucket   = aws_s3_bucket.injected.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:root" } # SEG706
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-prod-injected/*"
    }]
  })
}
