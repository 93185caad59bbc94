resource "aws_iam_role" "prod_deployer" {
  name = "prod-deployer"
  tags = { environment = "prod" }

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111111111111:role/ci" } # SEG703: dev's CI may act as prod's deployer
    }]
  })
}
