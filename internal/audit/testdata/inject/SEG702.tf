# Injected into examples/aws-complete: dev's VPC peered with prod's.
resource "aws_vpc_peering_connection" "injected" {
  provider      = aws.dev
  vpc_id        = module.dev.vpc_id
  peer_vpc_id   = module.prod.vpc_id # SEG702
  peer_owner_id = "333333333333"
  tags          = { environment = "dev" }
}
