package cloud

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// AWS is the facts of AWS.
var AWS = Facts{
	Cloud:   segment.AWS,
	Name:    "AWS",
	Network: "VPC",
	// A VPC's IPv4 range is a /16 to a /28.
	NetworkPrefix: PrefixBounds{Shortest: 16, Longest: 28},
	// A subnet is at most a /28, and AWS keeps 5 of its addresses: the
	// network address, the VPC router, DNS, one for future use and the
	// broadcast address.
	Subnets: netplan.Limits{LongestSubnet: 28, ReservedPerSubnet: 5},
	// S3 bucket names: 3 to 63 characters, and prefixes and suffixes that
	// S3 reserves for its own names (access point aliases, Object Lambda,
	// Multi-Region Access Points, directory and table buckets, examples).
	GlobalNames: NameRules{
		Kind:             "S3 bucket name",
		MinLength:        3,
		MaxLength:        63,
		ReservedPrefixes: []string{"amzn-s3-demo-", "sthree-", "xn--"},
		ReservedSuffixes: []string{"--ol-s3", "--table-s3", "--x-s3", "-s3alias", ".mrap"},
	},
	// IAM role names are at most 64 characters.
	RoleNameMaxLength: 64,
	NameLimits:        []NameLimit{{Kind: "IAM role name", Purpose: "data-scientist", MaxLength: 64}},
	AccountID:         pattern(`^[0-9]{12}$`, "a 12-digit AWS account ID"),
	Region:            pattern(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`, `an AWS region name such as "us-east-1"`),
	Zone:              pattern(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+[a-z]$`, `an AWS availability zone name such as "us-east-1a"`),
	// The retention periods CloudWatch Logs accepts.
	LogRetention: oneOf("CloudWatch Logs", 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653),
	// KMS rotates a key every 90 to 2560 days, and deletes it after a
	// waiting period of 7 to 30 days.
	KeyRotation: between("AWS KMS", 90, 2560),
	KeyDeletion: between("AWS KMS", 7, 30),
	// Tag keys have 1 to 128 characters and values up to 256, of letters,
	// digits, spaces and + - = . _ : / @.
	TagKey:   sized(`[\pL\pN \+\-=\._:/@]`, 1, 128, "an AWS tag key: 1 to 128 letters, digits, spaces or + - = . _ : / @"),
	TagValue: sized(`[\pL\pN \+\-=\._:/@]`, 0, 256, "an AWS tag value: up to 256 letters, digits, spaces or + - = . _ : / @"),
	// An EKS managed node group scales to at most 450 nodes.
	MaxPoolSize: 450,
	PoolService: "EKS managed node groups",
	principal: func(id Identity) string {
		return fmt.Sprintf("arn:%s:iam::%s:role/%s", AWSPartition(id.Region), id.Account, id.Name)
	},
}

// AWSPartition returns the AWS partition of a region.
func AWSPartition(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	default:
		return "aws"
	}
}
