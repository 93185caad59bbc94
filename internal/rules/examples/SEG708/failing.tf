resource "aws_s3_bucket" "prod_models" {
  bucket = "acme-prod-models"
  tags   = { environment = "prod" }
}

resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch" # SEG708: no tag, name, account or network says whose bucket this is
}
