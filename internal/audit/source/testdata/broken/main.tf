resource "aws_vpc" "ok" {}

resource "aws_vpc" "bad" {
  cidr_block = 
}
