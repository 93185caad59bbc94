resource "aws_vpc" "dev" {
  cidr_block = "10.1.0.0/16"
  tags       = { environment = "dev" }
}

resource "aws_vpc" "prod" {
  cidr_block = "10.1.0.0/16" # SEG707: the same range as dev's network
  tags       = { environment = "prod" }
}
