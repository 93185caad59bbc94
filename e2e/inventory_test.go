//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Resource kinds the inventory lists. The leftovers check covers all of them.
const (
	kindVPC            = "vpc"
	kindSubnet         = "subnet"
	kindRouteTable     = "route-table"
	kindSecurityGroup  = "security-group"
	kindSGRule         = "security-group-rule"
	kindNetworkACL     = "network-acl"
	kindEndpoint       = "vpc-endpoint"
	kindIGW            = "internet-gateway"
	kindFlowLog        = "flow-log"
	kindLaunchTemplate = "launch-template"
	kindPeering        = "vpc-peering-connection"
	kindTGWAttachment  = "transit-gateway-attachment"
	kindENI            = "network-interface"
	kindRole           = "iam-role"
	kindOIDC           = "iam-oidc-provider"
	kindInstanceProf   = "iam-instance-profile"
	kindPolicy         = "iam-policy"
	kindKey            = "kms-key"
	kindAlias          = "kms-alias"
	kindBucket         = "s3-bucket"
	kindLogGroup       = "log-group"
	kindMetricFilter   = "log-metric-filter"
	kindAlarm          = "cloudwatch-alarm"
	kindCluster        = "eks-cluster"
	kindNodegroup      = "eks-nodegroup"
)

// resource is one thing found in an account through the API.
type resource struct {
	Kind string
	ID   string
	Name string
	// Tags as the API reports them; nil when the kind cannot carry tags.
	Tags map[string]string
	// Taggable is false for kinds that AWS cannot tag (aliases, metric filters).
	Taggable bool
	// Implicit marks resources that AWS itself creates alongside another one
	// (a VPC's main route table, an endpoint's network interfaces): the module
	// cannot tag them, and they go away with their parent.
	Implicit string
	State    string
	VPC      string
	// Default marks a VPC's default security group or network ACL, which AWS
	// creates and deletes with the VPC and the module adopts and tags.
	Default bool
}

func (r resource) String() string {
	s := r.Kind + " " + r.ID
	if r.Name != "" && r.Name != r.ID {
		s += " (" + r.Name + ")"
	}
	return s
}

// inventory is everything the API lists in one account, by kind and ID.
type inventory struct {
	account string
	byKind  map[string]map[string]resource
	// gaps: kinds that could not be listed, with the API's error. Listed in
	// MOTO.md when known; the caller reports them.
	gaps map[string]string
}

func (inv *inventory) add(r resource) {
	if inv.byKind[r.Kind] == nil {
		inv.byKind[r.Kind] = map[string]resource{}
	}
	inv.byKind[r.Kind][r.ID] = r
}

// kinds returns the kinds in a stable order.
func (inv *inventory) kinds() []string {
	var ks []string
	for k := range inv.byKind {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// added returns the resources of inv that base does not have, sorted.
func (inv *inventory) added(base *inventory) []resource {
	var out []resource
	for kind, m := range inv.byKind {
		for id, r := range m {
			if _, ok := base.byKind[kind][id]; !ok {
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func ec2Tags(ts []ec2types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range ts {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// apiErrorCode returns the AWS error code of err, or "".
func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// takeInventory lists what the account holds. A listing that fails is
// recorded in gaps (kind -> error), never silently dropped.
func takeInventory(ctx context.Context, a *account) *inventory {
	inv := &inventory{account: a.id, byKind: map[string]map[string]resource{}, gaps: map[string]string{}}
	gap := func(kind string, err error) {
		inv.gaps[kind] = err.Error()
	}
	listEC2(ctx, a, inv, gap)
	listIAM(ctx, a, inv, gap)
	listKMS(ctx, a, inv, gap)
	listS3(ctx, a, inv, gap)
	listLogs(ctx, a, inv, gap)
	listEKS(ctx, a, inv, gap)
	return inv
}

func listEC2(ctx context.Context, a *account, inv *inventory, gap func(string, error)) {
	{
		p := ec2.NewDescribeVpcsPaginator(a.ec2, &ec2.DescribeVpcsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindVPC, err)
				break
			}
			for _, v := range out.Vpcs {
				tags := ec2Tags(v.Tags)
				r := resource{Kind: kindVPC, ID: aws.ToString(v.VpcId), Name: tags["Name"], Tags: tags, Taggable: true, State: string(v.State)}
				if aws.ToBool(v.IsDefault) {
					r.Implicit = "the region's default VPC"
				}
				inv.add(r)
			}
		}
	}
	{
		p := ec2.NewDescribeSubnetsPaginator(a.ec2, &ec2.DescribeSubnetsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindSubnet, err)
				break
			}
			for _, v := range out.Subnets {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindSubnet, ID: aws.ToString(v.SubnetId), Name: tags["Name"], Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId)})
			}
		}
	}
	{
		p := ec2.NewDescribeRouteTablesPaginator(a.ec2, &ec2.DescribeRouteTablesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindRouteTable, err)
				break
			}
			for _, v := range out.RouteTables {
				tags := ec2Tags(v.Tags)
				r := resource{Kind: kindRouteTable, ID: aws.ToString(v.RouteTableId), Name: tags["Name"], Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId)}
				for _, as := range v.Associations {
					if aws.ToBool(as.Main) {
						r.Implicit = "the main route table AWS creates with every VPC"
					}
				}
				inv.add(r)
			}
		}
	}
	{
		p := ec2.NewDescribeSecurityGroupsPaginator(a.ec2, &ec2.DescribeSecurityGroupsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindSecurityGroup, err)
				break
			}
			for _, v := range out.SecurityGroups {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindSecurityGroup, ID: aws.ToString(v.GroupId), Name: aws.ToString(v.GroupName), Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId), Default: aws.ToString(v.GroupName) == "default"})
			}
		}
	}
	{
		p := ec2.NewDescribeSecurityGroupRulesPaginator(a.ec2, &ec2.DescribeSecurityGroupRulesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindSGRule, err)
				break
			}
			for _, v := range out.SecurityGroupRules {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindSGRule, ID: aws.ToString(v.SecurityGroupRuleId), Name: tags["Name"], Tags: tags, Taggable: true, VPC: aws.ToString(v.GroupId)})
			}
		}
	}
	{
		p := ec2.NewDescribeNetworkAclsPaginator(a.ec2, &ec2.DescribeNetworkAclsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindNetworkACL, err)
				break
			}
			for _, v := range out.NetworkAcls {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindNetworkACL, ID: aws.ToString(v.NetworkAclId), Name: tags["Name"], Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId), Default: aws.ToBool(v.IsDefault)})
			}
		}
	}
	{
		p := ec2.NewDescribeVpcEndpointsPaginator(a.ec2, &ec2.DescribeVpcEndpointsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindEndpoint, err)
				break
			}
			for _, v := range out.VpcEndpoints {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindEndpoint, ID: aws.ToString(v.VpcEndpointId), Name: aws.ToString(v.ServiceName), Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId), State: string(v.State)})
			}
		}
	}
	{
		p := ec2.NewDescribeInternetGatewaysPaginator(a.ec2, &ec2.DescribeInternetGatewaysInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindIGW, err)
				break
			}
			for _, v := range out.InternetGateways {
				tags := ec2Tags(v.Tags)
				r := resource{Kind: kindIGW, ID: aws.ToString(v.InternetGatewayId), Name: tags["Name"], Tags: tags, Taggable: true}
				for _, at := range v.Attachments {
					r.VPC = aws.ToString(at.VpcId)
				}
				inv.add(r)
			}
		}
	}
	{
		p := ec2.NewDescribeFlowLogsPaginator(a.ec2, &ec2.DescribeFlowLogsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindFlowLog, err)
				break
			}
			for _, v := range out.FlowLogs {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindFlowLog, ID: aws.ToString(v.FlowLogId), Name: tags["Name"], Tags: tags, Taggable: true, VPC: aws.ToString(v.ResourceId)})
			}
		}
	}
	{
		p := ec2.NewDescribeLaunchTemplatesPaginator(a.ec2, &ec2.DescribeLaunchTemplatesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindLaunchTemplate, err)
				break
			}
			for _, v := range out.LaunchTemplates {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindLaunchTemplate, ID: aws.ToString(v.LaunchTemplateId), Name: aws.ToString(v.LaunchTemplateName), Tags: tags, Taggable: true})
			}
		}
	}
	{
		p := ec2.NewDescribeVpcPeeringConnectionsPaginator(a.ec2, &ec2.DescribeVpcPeeringConnectionsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindPeering, err)
				break
			}
			for _, v := range out.VpcPeeringConnections {
				tags := ec2Tags(v.Tags)
				r := resource{Kind: kindPeering, ID: aws.ToString(v.VpcPeeringConnectionId), Name: tags["Name"], Tags: tags, Taggable: true}
				if v.Status != nil {
					r.State = string(v.Status.Code)
				}
				inv.add(r)
			}
		}
	}
	{
		p := ec2.NewDescribeTransitGatewayVpcAttachmentsPaginator(a.ec2, &ec2.DescribeTransitGatewayVpcAttachmentsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindTGWAttachment, err)
				break
			}
			for _, v := range out.TransitGatewayVpcAttachments {
				tags := ec2Tags(v.Tags)
				inv.add(resource{Kind: kindTGWAttachment, ID: aws.ToString(v.TransitGatewayAttachmentId), Name: tags["Name"], Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId), State: string(v.State)})
			}
		}
	}
	{
		p := ec2.NewDescribeNetworkInterfacesPaginator(a.ec2, &ec2.DescribeNetworkInterfacesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindENI, err)
				break
			}
			for _, v := range out.NetworkInterfaces {
				tags := ec2Tags(v.TagSet)
				inv.add(resource{Kind: kindENI, ID: aws.ToString(v.NetworkInterfaceId), Name: aws.ToString(v.Description), Tags: tags, Taggable: true, VPC: aws.ToString(v.VpcId),
					Implicit: "a network interface that AWS creates for an endpoint, cluster or instance"})
			}
		}
	}
}

func listIAM(ctx context.Context, a *account, inv *inventory, gap func(string, error)) {
	{
		p := iam.NewListRolesPaginator(a.iam, &iam.ListRolesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindRole, err)
				break
			}
			for _, v := range out.Roles {
				r := resource{Kind: kindRole, ID: aws.ToString(v.Arn), Name: aws.ToString(v.RoleName), Tags: map[string]string{}, Taggable: true}
				tp := iam.NewListRoleTagsPaginator(a.iam, &iam.ListRoleTagsInput{RoleName: v.RoleName})
				for tp.HasMorePages() {
					tout, err := tp.NextPage(ctx)
					if err != nil {
						gap(kindRole+" tags", err)
						break
					}
					for _, t := range tout.Tags {
						r.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
					}
				}
				inv.add(r)
			}
		}
	}
	if out, err := a.iam.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}); err != nil {
		gap(kindOIDC, err)
	} else {
		for _, v := range out.OpenIDConnectProviderList {
			r := resource{Kind: kindOIDC, ID: aws.ToString(v.Arn), Tags: map[string]string{}, Taggable: true}
			g, err := a.iam.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: v.Arn})
			if err != nil {
				gap(kindOIDC+" tags", err)
			} else {
				r.Name = aws.ToString(g.Url)
				for _, t := range g.Tags {
					r.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
				}
			}
			inv.add(r)
		}
	}
	{
		p := iam.NewListInstanceProfilesPaginator(a.iam, &iam.ListInstanceProfilesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindInstanceProf, err)
				break
			}
			for _, v := range out.InstanceProfiles {
				inv.add(resource{Kind: kindInstanceProf, ID: aws.ToString(v.Arn), Name: aws.ToString(v.InstanceProfileName), Tags: map[string]string{}, Taggable: true,
					Implicit: "an instance profile that EKS creates for a node group"})
			}
		}
	}
	{
		p := iam.NewListPoliciesPaginator(a.iam, &iam.ListPoliciesInput{Scope: "Local"})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindPolicy, err)
				break
			}
			for _, v := range out.Policies {
				inv.add(resource{Kind: kindPolicy, ID: aws.ToString(v.Arn), Name: aws.ToString(v.PolicyName), Tags: map[string]string{}, Taggable: true})
			}
		}
	}
}

func listKMS(ctx context.Context, a *account, inv *inventory, gap func(string, error)) {
	{
		p := kms.NewListKeysPaginator(a.kms, &kms.ListKeysInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindKey, err)
				break
			}
			for _, v := range out.Keys {
				r := resource{Kind: kindKey, ID: aws.ToString(v.KeyArn), Tags: map[string]string{}, Taggable: true}
				d, err := a.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: v.KeyId})
				if err != nil {
					gap(kindKey+" state", err)
				} else {
					r.State = string(d.KeyMetadata.KeyState)
					r.Name = aws.ToString(d.KeyMetadata.Description)
					if d.KeyMetadata.KeyManager == kmstypes.KeyManagerTypeAws {
						r.Implicit = "an AWS managed key"
					}
				}
				tp := kms.NewListResourceTagsPaginator(a.kms, &kms.ListResourceTagsInput{KeyId: v.KeyId})
				for tp.HasMorePages() {
					tout, err := tp.NextPage(ctx)
					if err != nil {
						gap(kindKey+" tags", err)
						break
					}
					for _, t := range tout.Tags {
						r.Tags[aws.ToString(t.TagKey)] = aws.ToString(t.TagValue)
					}
				}
				inv.add(r)
			}
		}
	}
	{
		p := kms.NewListAliasesPaginator(a.kms, &kms.ListAliasesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindAlias, err)
				break
			}
			for _, v := range out.Aliases {
				inv.add(resource{Kind: kindAlias, ID: aws.ToString(v.AliasName), Name: aws.ToString(v.TargetKeyId)})
			}
		}
	}
}

func listS3(ctx context.Context, a *account, inv *inventory, gap func(string, error)) {
	out, err := a.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		gap(kindBucket, err)
		return
	}
	for _, b := range out.Buckets {
		r := resource{Kind: kindBucket, ID: aws.ToString(b.Name), Name: aws.ToString(b.Name), Tags: map[string]string{}, Taggable: true}
		t, err := a.s3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b.Name})
		switch {
		case err == nil:
			for _, tag := range t.TagSet {
				r.Tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
		case apiErrorCode(err) == "NoSuchTagSet":
		default:
			gap(kindBucket+" tags", err)
		}
		inv.add(r)
	}
}

func listLogs(ctx context.Context, a *account, inv *inventory, gap func(string, error)) {
	{
		p := cloudwatchlogs.NewDescribeLogGroupsPaginator(a.logs, &cloudwatchlogs.DescribeLogGroupsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindLogGroup, err)
				break
			}
			for _, v := range out.LogGroups {
				name := aws.ToString(v.LogGroupName)
				r := resource{Kind: kindLogGroup, ID: name, Name: name, Tags: map[string]string{}, Taggable: true}
				arn := strings.TrimSuffix(aws.ToString(v.Arn), ":*")
				if arn == "" {
					arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, a.id, name)
				}
				t, err := a.logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
				if err != nil {
					gap(kindLogGroup+" tags", err)
				} else {
					for k, val := range t.Tags {
						r.Tags[k] = val
					}
				}
				inv.add(r)
			}
		}
	}
	{
		p := cloudwatchlogs.NewDescribeMetricFiltersPaginator(a.logs, &cloudwatchlogs.DescribeMetricFiltersInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindMetricFilter, err)
				break
			}
			for _, v := range out.MetricFilters {
				inv.add(resource{Kind: kindMetricFilter, ID: aws.ToString(v.LogGroupName) + ":" + aws.ToString(v.FilterName), Name: aws.ToString(v.FilterName)})
			}
		}
	}
	{
		p := cloudwatch.NewDescribeAlarmsPaginator(a.cw, &cloudwatch.DescribeAlarmsInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				gap(kindAlarm, err)
				break
			}
			for _, v := range out.MetricAlarms {
				r := resource{Kind: kindAlarm, ID: aws.ToString(v.AlarmArn), Name: aws.ToString(v.AlarmName), Tags: map[string]string{}, Taggable: true}
				t, err := a.cw.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: v.AlarmArn})
				if err != nil {
					gap(kindAlarm+" tags", err)
				} else {
					for _, tag := range t.Tags {
						r.Tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
					}
				}
				inv.add(r)
			}
		}
	}
}

func listEKS(ctx context.Context, a *account, inv *inventory, gap func(string, error)) {
	p := eks.NewListClustersPaginator(a.eks, &eks.ListClustersInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			gap(kindCluster, err)
			return
		}
		for _, name := range out.Clusters {
			r := resource{Kind: kindCluster, ID: name, Name: name, Taggable: true}
			d, err := a.eks.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
			if err != nil {
				gap(kindCluster+" details", err)
			} else {
				r.Tags = d.Cluster.Tags
				r.State = string(d.Cluster.Status)
				if d.Cluster.ResourcesVpcConfig != nil {
					r.VPC = aws.ToString(d.Cluster.ResourcesVpcConfig.VpcId)
				}
			}
			inv.add(r)
			np := eks.NewListNodegroupsPaginator(a.eks, &eks.ListNodegroupsInput{ClusterName: aws.String(name)})
			for np.HasMorePages() {
				nout, err := np.NextPage(ctx)
				if err != nil {
					gap(kindNodegroup, err)
					break
				}
				for _, ng := range nout.Nodegroups {
					nr := resource{Kind: kindNodegroup, ID: name + "/" + ng, Name: ng, Taggable: true}
					d, err := a.eks.DescribeNodegroup(ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String(name), NodegroupName: aws.String(ng)})
					if err != nil {
						gap(kindNodegroup+" details", err)
					} else {
						nr.Tags = d.Nodegroup.Tags
						nr.State = string(d.Nodegroup.Status)
					}
					inv.add(nr)
				}
			}
		}
	}
}
