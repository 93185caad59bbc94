variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

module "subnets" {
  source = "./subnets"
  count  = 2
  vpc_id = aws_vpc.this.id
}
