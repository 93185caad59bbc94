resource "aws_vpc" "main" {
  enable_dns_support = true
}
