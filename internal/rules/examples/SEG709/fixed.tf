# The CI principal is a role of this configuration, attributed to prod.
resource "aws_iam_role" "prod_ci" {
  name = "prod-ci"
  tags = { environment = "prod" }

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com" }
    }]
  })
}

resource "aws_iam_role" "prod_deployer" {
  name = "prod-deployer"
  tags = { environment = "prod" }

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = aws_iam_role.prod_ci.arn }
    }]
  })
}
