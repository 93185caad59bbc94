# Injected into examples/aws-complete: a staging VPC in prod's range.
resource "aws_vpc" "injected" {
  provider   = aws.staging
  cidr_block = "10.66.240.0/20" # SEG707: inside prod's 10.66.0.0/16
  tags       = { environment = "staging" }
}
