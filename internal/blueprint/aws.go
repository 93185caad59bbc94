package blueprint

import (
	"fmt"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// KubernetesVersion is the EKS version of every cluster.
const KubernetesVersion = "1.33"

// aws holds what every part of an AWS expansion shares.
type aws struct {
	env       segment.Environment
	partition string
}

func newAWS(env segment.Environment) expander { return aws{env: env, partition: partition(env.Region)} }

func (a aws) principals() []string { return principalsOf(a.identities()) }

func (a aws) blueprint() (Blueprint, error) {
	env := a.env
	sources := 0
	for _, in := range env.Ingress {
		sources += len(in.FromCIDRs)
	}
	if sources > MaxEntryPointSources {
		return Blueprint{}, fmt.Errorf("the entry points declare %d source ranges; there are network ACL rule numbers for %d", sources, MaxEntryPointSources)
	}
	network, err := a.network()
	if err != nil {
		return Blueprint{}, err
	}
	pools, err := a.nodePools()
	if err != nil {
		return Blueprint{}, err
	}
	roles := a.identities()
	bp := Blueprint{
		Environment:        env.Name,
		Organization:       env.Organization,
		Tier:               string(env.Tier),
		Cloud:              string(env.Cloud),
		Region:             env.Region,
		AccountID:          env.AccountID,
		DataClassification: string(env.DataClassification),
		Network:            network,
		FirewallRules:      a.firewallRules(),
		Identities:         roles,
		CIOIDCProvider:     ciOIDCProvider(env),
		Keys:               a.keys(roles),
		Buckets:            a.buckets(),
		Cluster:            a.cluster(),
		NodePools:          pools,
		Monitoring:         a.monitoring(),
		Tags:               Tags(env),
		Waivers:            waivers(env),
	}
	if bp.Kubernetes, err = kubernetesLayer(env, a.kubernetesEdge(network, roles)); err != nil {
		return Blueprint{}, err
	}
	return bp, nil
}

// partition returns the AWS partition of a region.
func partition(region string) string { return cloud.AWSPartition(region) }

func (a aws) name(purpose string) string { return a.env.ResourceName(purpose) }

func (a aws) roleARN(purpose string) string {
	return cloud.AWS.Principal(cloud.IdentityOf(a.env, purpose))
}

func (a aws) accountRoot() string {
	return fmt.Sprintf("arn:%s:iam::%s:root", a.partition, a.env.AccountID)
}

func (a aws) bucketARN(purpose string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", a.partition, a.name(purpose))
}

func (a aws) clusterARN() string {
	return fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", a.partition, a.env.Region, a.env.AccountID, a.env.Prefix())
}

func (a aws) logGroupARN(group string) string {
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", a.partition, a.env.Region, a.env.AccountID, group)
}

func (a aws) keyARNs() string {
	return fmt.Sprintf("arn:%s:kms:%s:%s:key/*", a.partition, a.env.Region, a.env.AccountID)
}

func (a aws) alias(purpose string) string { return "alias/" + a.name(purpose) }

func (a aws) flowLogGroup() string { return "/segmented/" + a.env.Prefix() + "/flow-logs" }

// auditLogGroup is the group EKS writes control-plane logs to; the module
// creates it first so that it is encrypted and retained by tier.
func (a aws) auditLogGroup() string { return "/aws/eks/" + a.env.Prefix() + "/cluster" }
