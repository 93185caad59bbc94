# Hand-written Terraform, as most platforms have it: no segmented provider,
# environments marked only by tags. Every resource is fine on its own, and
# single-resource scanners pass it; the audit finds where it joins
# environments. scripts/audit-fixtures.sh plans it into plan.json.

resource "aws_vpc" "dev" {
  cidr_block = "10.1.0.0/16"
  tags       = { environment = "dev" }
}

resource "aws_vpc" "prod" {
  cidr_block = "10.3.0.0/16"
  tags       = { environment = "prod" }
}

resource "aws_vpc" "shared" {
  cidr_block = "10.9.0.0/16"
  tags       = { environment = "shared" }
}

# Production's database admits the development network.
resource "aws_security_group" "prod_db" {
  name   = "prod-db"
  vpc_id = aws_vpc.prod.id
  tags   = { environment = "prod" }

  ingress {
    description = "postgres"
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["10.3.0.0/16", "10.1.0.0/16"]
  }

  # Telemetry to the shared collector: a declared flow allows it.
  egress {
    description = "otlp"
    protocol    = "tcp"
    from_port   = 4317
    to_port     = 4318
    cidr_blocks = ["10.9.0.0/16"]
  }
}

# A peering left over from a migration.
resource "aws_vpc_peering_connection" "dev_prod" {
  vpc_id      = aws_vpc.dev.id
  peer_vpc_id = aws_vpc.prod.id
  tags        = { environment = "dev" }
}

# Production's deployer trusts the staging account.
resource "aws_iam_role" "prod_deployer" {
  name = "prod-deployer"
  tags = { environment = "prod" }

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::222222222222:root" }
    }]
  })
}

# One key for everyone's volumes.
resource "aws_kms_key" "volumes" {
  description = "volumes"
  tags        = { environment = "prod" }
}

resource "aws_ebs_volume" "prod_scratch" {
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
  kms_key_id        = aws_kms_key.volumes.arn
  tags              = { environment = "dev" }
}

# Nobody remembers whose this is.
resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch-2019"
}
