resource "aws_s3_bucket" "prod_training_data" {
  bucket = "acme-prod-training-data"
  tags   = { environment = "prod" }
}

resource "aws_s3_bucket_policy" "prod_training_data" {
  bucket = aws_s3_bucket.prod_training_data.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:role/notebook" } # SEG706: dev's notebooks may read prod's training data
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = ["arn:aws:s3:::acme-prod-training-data", "arn:aws:s3:::acme-prod-training-data/*"]
    }]
  })
}
