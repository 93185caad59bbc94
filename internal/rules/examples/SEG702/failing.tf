resource "aws_vpc" "dev" {
  cidr_block = "10.1.0.0/16"
  tags       = { environment = "dev" }
}

resource "aws_vpc" "prod" {
  cidr_block = "10.3.0.0/16"
  tags       = { environment = "prod" }
}

resource "aws_vpc_peering_connection" "dev_prod" {
  vpc_id      = aws_vpc.dev.id
  peer_vpc_id = aws_vpc.prod.id # SEG702: peers dev's network with prod's
  tags        = { environment = "dev" }
}
