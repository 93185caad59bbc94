variable "vpc_id" {
  type = string
}

resource "aws_subnet" "this" {
  vpc_id = var.vpc_id
}

data "aws_availability_zones" "all" {}
