//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// TestGatewayCloudWatch drives the gateway's CloudWatch bridge with the SDK the aws provider uses,
// the way the provider creates, reads, tags and deletes an alarm, so that a
// bridge fault shows here rather than as an odd Terraform diff.
func TestGatewayCloudWatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, a := gatewayAccount(ctx, t, "111111111111", "dev")
	_, err := a.cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName:          aws.String("bridge-test"),
		AlarmDescription:   aws.String("d"),
		Namespace:          aws.String("Segmented/dev"),
		MetricName:         aws.String("RejectedFlows"),
		Statistic:          cwtypes.StatisticSum,
		Period:             aws.Int32(300),
		EvaluationPeriods:  aws.Int32(1),
		Threshold:          aws.Float64(100),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
		TreatMissingData:   aws.String("notBreaching"),
		Dimensions:         []cwtypes.Dimension{{Name: aws.String("k"), Value: aws.String("v")}},
		Tags:               []cwtypes.Tag{{Key: aws.String(envTag), Value: aws.String("dev")}},
	})
	if err != nil {
		t.Fatalf("PutMetricAlarm: %v", err)
	}
	out, err := a.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"bridge-test"}, AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm}})
	if err != nil {
		t.Fatalf("DescribeAlarms: %v", err)
	}
	if len(out.MetricAlarms) != 1 {
		t.Fatalf("DescribeAlarms: %d alarms, want 1", len(out.MetricAlarms))
	}
	al := out.MetricAlarms[0]
	if aws.ToFloat64(al.Threshold) != 100 || aws.ToInt32(al.Period) != 300 || aws.ToInt32(al.EvaluationPeriods) != 1 ||
		al.ComparisonOperator != cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold || aws.ToString(al.TreatMissingData) != "notBreaching" ||
		len(al.Dimensions) != 1 || al.StateUpdatedTimestamp == nil || al.StateUpdatedTimestamp.Before(time.Now().Add(-time.Hour)) {
		t.Errorf("DescribeAlarms returned %+v", al)
	}
	tags, err := a.cw.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: al.AlarmArn})
	if err != nil {
		t.Fatalf("ListTagsForResource: %v", err)
	}
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "dev" {
		t.Errorf("ListTagsForResource: %+v", tags.Tags)
	}
	if _, err := a.cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"bridge-test"}}); err != nil {
		t.Fatalf("DeleteAlarms: %v", err)
	}
	out, err = a.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"bridge-test"}})
	if err != nil || len(out.MetricAlarms) != 0 {
		t.Errorf("after DeleteAlarms: %v, %d alarms", err, len(out.MetricAlarms))
	}
	if f := b.failed(); len(f) > 0 {
		t.Errorf("bridge failures: %v", f)
	}
	t.Logf("bridged: %s", b.summary())
}

// TestGatewayS3TagOnCreate checks that a bucket created through the gateway
// with tags in CreateBucketConfiguration, as the aws provider 6.x does,
// carries them afterwards.
func TestGatewayS3TagOnCreate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, a := gatewayAccount(ctx, t, "222222222222", "staging")
	viaGateway := s3.NewFromConfig(aws.Config{}, func(o *s3.Options) {
		*o = a.s3.Options()
		o.BaseEndpoint = aws.String(b.endpoint)
	})
	_, err := viaGateway.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String("acme-staging-gateway-test"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{Tags: []s3types.Tag{{Key: aws.String(envTag), Value: aws.String("staging")}, {Key: aws.String("a&b"), Value: aws.String("<c>")}}},
	})
	if err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	out, err := a.s3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("acme-staging-gateway-test")})
	if err != nil {
		t.Fatalf("GetBucketTagging (straight from moto): %v", err)
	}
	got := map[string]string{}
	for _, tag := range out.TagSet {
		got[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	if got[envTag] != "staging" || got["a&b"] != "<c>" || len(got) != 2 {
		t.Errorf("bucket tags: %v", got)
	}
	if f := b.failed(); len(f) > 0 {
		t.Errorf("gateway failures: %v", f)
	}
	t.Logf("gateway: %s", b.summary())
}

// TestGatewayRevokeUnknownRuleID revokes one security group rule by ID twice,
// as a retried RevokeSecurityGroupIngress does: straight to moto the second
// revoke fails with InvalidPermission.NotFound (the gap), and through the
// gateway with InvalidSecurityGroupRuleId.NotFound, the code AWS gives an
// unknown rule ID and the one the aws provider takes as already deleted.
// A revoke of a rule that exists passes through untouched.
func TestGatewayRevokeUnknownRuleID(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, a := gatewayAccount(ctx, t, "333333333333", "prod")
	viaGateway := ec2.NewFromConfig(aws.Config{}, func(o *ec2.Options) {
		*o = a.ec2.Options()
		o.BaseEndpoint = aws.String(b.endpoint)
	})
	vpc, err := a.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.99.0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	sg, err := a.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("gateway-test"), Description: aws.String("d"), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatalf("CreateSecurityGroup: %v", err)
	}
	authorize := func() string {
		out, err := a.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
			GroupId: sg.GroupId,
			IpPermissions: []ec2types.IpPermission{{
				IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.99.0.0/16")}},
			}},
		})
		if err != nil || len(out.SecurityGroupRules) != 1 {
			t.Fatalf("AuthorizeSecurityGroupIngress: %v", err)
		}
		return aws.ToString(out.SecurityGroupRules[0].SecurityGroupRuleId)
	}
	revoke := func(c *ec2.Client, id string) error {
		_, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: sg.GroupId, SecurityGroupRuleIds: []string{id}})
		return err
	}
	code := func(err error) string {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return fmt.Sprint(err)
	}

	first := authorize()
	if err := revoke(viaGateway, first); err != nil {
		t.Fatalf("revoke of an existing rule through the gateway: %v", err)
	}
	if got := code(revoke(a.ec2, first)); got != "InvalidPermission.NotFound" {
		t.Errorf("second revoke straight to moto: %s, want InvalidPermission.NotFound (if moto now answers as AWS does, MOTO.md's gap 12 and the gateway's rewrite can go)", got)
	}
	if got := code(revoke(viaGateway, first)); got != "InvalidSecurityGroupRuleId.NotFound" {
		t.Errorf("second revoke through the gateway: %s, want InvalidSecurityGroupRuleId.NotFound", got)
	}
	second := authorize()
	if err := revoke(viaGateway, second); err != nil {
		t.Errorf("revoke of an existing rule through the gateway: %v", err)
	}
	if ids := b.revokedUnknownRuleIDs(); len(ids) != 1 || ids[0] != first {
		t.Errorf("gateway counted %v, want [%s]", ids, first)
	}
	t.Logf("gateway: %s", b.summary())
}

// gatewayAccount starts moto and the gateway in front of it, and returns
// the gateway and one account's clients straight to moto, as the auditor.
func gatewayAccount(ctx context.Context, t *testing.T, account, env string) (*motoGateway, *account) {
	t.Helper()
	motoPath, tried := findMotoServer()
	if motoPath == "" {
		t.Fatalf("moto_server not found (moto 5.x for Python 3.11 is needed); looked here: %v", tried)
	}
	m := startMoto(t, motoPath, t.TempDir())
	b := startMotoGateway(t, m.endpoint)
	a, err := assumeAccount(ctx, m.endpoint, b.endpoint, account, env, auditRole)
	if err != nil {
		t.Fatal(err)
	}
	return b, a
}
