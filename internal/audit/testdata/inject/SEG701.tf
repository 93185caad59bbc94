# Injected into examples/aws-complete: a hand-written prod group admits dev's range.
resource "aws_security_group" "injected" {
  provider = aws.prod
  name     = "prod-debug"
  vpc_id   = module.prod.vpc_id
  tags     = { environment = "prod" }

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.64.0.0/16"] # SEG701: dev's range
  }
}
