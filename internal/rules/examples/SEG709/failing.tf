# The CI principal is computed somewhere the plan cannot see.
resource "terraform_data" "ci_principal" {
  input = "ci"
}

resource "aws_iam_role" "prod_deployer" {
  name = "prod-deployer"
  tags = { environment = "prod" }

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = terraform_data.ci_principal.output } # SEG709: unknown until apply, and nothing says whose it is
    }]
  })
}
