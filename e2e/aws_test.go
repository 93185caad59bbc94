//go:build e2e

package e2e

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const region = "us-east-1"

// account holds API clients that act in one AWS account: credentials from
// sts:AssumeRole into that account, as an operator (not Terraform) would get.
type account struct {
	id   string
	env  string // environment that lives in the account
	ec2  *ec2.Client
	iam  *iam.Client
	kms  *kms.Client
	s3   *s3.Client
	logs *cloudwatchlogs.Client
	cw   *cloudwatch.Client
	eks  *eks.Client
}

// baseConfig is an SDK configuration that talks to moto only: static
// credentials, no shared config files, no instance metadata.
func baseConfig(ctx context.Context, endpoint string, creds aws.CredentialsProvider) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx,
		config.WithRegion(region),
		config.WithCredentialsProvider(creds),
		config.WithBaseEndpoint(endpoint),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithRetryMaxAttempts(5),
	)
}

// assumeAccount assumes role `roleName` in the account and returns clients
// that act there. It also checks, through sts:GetCallerIdentity, that the
// credentials really act in that account.
// CloudWatch calls go to cloudWatchEndpoint (the gateway of gateway_test.go).
func assumeAccount(ctx context.Context, endpoint, cloudWatchEndpoint, accountID, env, roleName string) (*account, error) {
	root, err := baseConfig(ctx, endpoint, credentials.NewStaticCredentialsProvider("test", "test", ""))
	if err != nil {
		return nil, err
	}
	out, err := sts.NewFromConfig(root).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(fmt.Sprintf("arn:aws:iam::%s:role/%s", accountID, roleName)),
		RoleSessionName: aws.String("segmented-e2e-check"),
	})
	if err != nil {
		return nil, fmt.Errorf("sts:AssumeRole into %s: %w", accountID, err)
	}
	c := out.Credentials
	cfg, err := baseConfig(ctx, endpoint, credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
	if err != nil {
		return nil, err
	}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("sts:GetCallerIdentity in %s: %w", accountID, err)
	}
	if got := aws.ToString(who.Account); got != accountID {
		return nil, fmt.Errorf("credentials assumed into %s act in account %s", accountID, got)
	}
	return &account{
		id:   accountID,
		env:  env,
		ec2:  ec2.NewFromConfig(cfg),
		iam:  iam.NewFromConfig(cfg),
		kms:  kms.NewFromConfig(cfg),
		s3:   s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		logs: cloudwatchlogs.NewFromConfig(cfg),
		cw:   cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { o.BaseEndpoint = aws.String(cloudWatchEndpoint) }),
		eks:  eks.NewFromConfig(cfg),
	}, nil
}
