//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestGatewayCloudWatch drives the gateway's CloudWatch bridge with the SDK the aws provider uses,
// the way the provider creates, reads, tags and deletes an alarm, so that a
// bridge fault shows here rather than as an odd Terraform diff.
func TestGatewayCloudWatch(t *testing.T) {
	motoPath, tried := findMotoServer()
	if motoPath == "" {
		t.Fatalf("moto_server not found (moto 5.x for Python 3.11 is needed); looked here: %v", tried)
	}
	m := startMoto(t, motoPath, t.TempDir())
	b := startMotoGateway(t, m.endpoint)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, err := assumeAccount(ctx, m.endpoint, b.endpoint, "111111111111", "dev", auditRole)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
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
	motoPath, tried := findMotoServer()
	if motoPath == "" {
		t.Fatalf("moto_server not found (moto 5.x for Python 3.11 is needed); looked here: %v", tried)
	}
	m := startMoto(t, motoPath, t.TempDir())
	b := startMotoGateway(t, m.endpoint)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, err := assumeAccount(ctx, m.endpoint, b.endpoint, "222222222222", "staging", auditRole)
	if err != nil {
		t.Fatal(err)
	}
	viaGateway := s3.NewFromConfig(aws.Config{}, func(o *s3.Options) {
		*o = a.s3.Options()
		o.BaseEndpoint = aws.String(b.endpoint)
	})
	_, err = viaGateway.CreateBucket(ctx, &s3.CreateBucketInput{
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
