resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_s3_bucket" "b" {
  for_each = toset(["models", "a.b[\"c\"]"])
  bucket   = "acme-${each.key}"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
  }
}

module "prod" {
  source = "./modules/net"
  cidr   = "10.3.0.0/16"
}

module "envs" {
  source   = "./modules/net"
  for_each = { dev = "10.4.0.0/16" }
  cidr     = each.value
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"
}
