resource "aws_kms_key" "volumes" {
  description         = "prod volumes"
  enable_key_rotation = true
  tags                = { environment = "prod" }
}

resource "aws_ebs_volume" "prod_features" {
  availability_zone = "us-east-1a"
  size              = 100
  encrypted         = true
  kms_key_id        = aws_kms_key.volumes.arn
  tags              = { environment = "prod" }
}

resource "aws_ebs_volume" "dev_scratch" {
  availability_zone = "us-east-1a"
  size              = 100
  encrypted         = true
  kms_key_id        = aws_kms_key.volumes.arn # SEG705: prod's key also encrypts a dev volume
  tags              = { environment = "dev" }
}
