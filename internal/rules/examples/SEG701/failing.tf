resource "aws_vpc" "dev" {
  cidr_block = "10.1.0.0/16"
  tags       = { environment = "dev" }
}

resource "aws_vpc" "prod" {
  cidr_block = "10.3.0.0/16"
  tags       = { environment = "prod" }
}

resource "aws_security_group" "prod_inference" {
  name   = "prod-inference"
  vpc_id = aws_vpc.prod.id
  tags   = { environment = "prod" }

  ingress {
    description = "model API"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.1.0.0/16"] # SEG701: dev's range may reach prod's model servers
  }
}
