resource "aws_vpc_peering_connection" "to_dev" {
  vpc_id      = "vpc-0prod"
  peer_vpc_id = "vpc-0dev"
}

resource "aws_iam_role" "deployer" {
  for_each           = toset(["ci"])
  name               = "deployer-${each.key}"
  assume_role_policy = "{}"
}
