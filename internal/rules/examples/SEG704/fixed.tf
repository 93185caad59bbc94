resource "aws_kms_key" "prod_models" {
  description         = "prod model artifacts"
  enable_key_rotation = true
  tags                = { environment = "prod" }

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::333333333333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Decrypt"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::333333333333:role/inference" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })
}
