package blueprint_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// mixedTopology puts dev and prod on Google Cloud, staging and shared on
// AWS.
func mixedTopology(flows ...segment.Flow) segment.Topology {
	topo := topologyOf(fourNames, flows...)
	for i, m := range topo.Environments {
		if m.Name == "dev" || m.Name == "prod" {
			env := gcpEnvironment(topologyEnvironment(m.Name), "acme-ml-"+m.Name)
			topo.Environments[i] = memberOf(env)
		}
	}
	return topo
}

// TestBoundaryTelemetryAcrossClouds: a telemetry flow from a Google Cloud
// environment to a shared AWS environment opens the path on both sides,
// each in its own cloud's firewall: a VPC firewall egress rule for the
// sender's nodes, and on AWS a security group rule and the network ACL
// rules for the request and its replies.
func TestBoundaryTelemetryAcrossClouds(t *testing.T) {
	bds := boundaries(t, mixedTopology(bFlow("prod", "shared", segment.Telemetry)))
	prod, shared := bds["prod"], bds["shared"]

	if len(prod.FirewallRules) != 1 {
		t.Fatalf("prod (GCP) has %d rules, want one VPC firewall rule: %+v", len(prod.FirewallRules), prod.FirewallRules)
	}
	r := prod.FirewallRules[0]
	if r.Layer != blueprint.LayerVPCFirewall || r.Direction != blueprint.Egress || !slices.Equal(r.Targets, []string{blueprint.RoleNode}) ||
		!slices.Equal(r.CIDRs, []string{"10.67.0.0/16"}) || r.Priority == nil || *r.Priority != blueprint.GCPAllowPriority ||
		*r.FromPort != blueprint.OTLPFromPort || *r.ToPort != blueprint.OTLPToPort {
		t.Errorf("prod's rule is %+v, want an egress allow from its nodes to shared's range on the OTLP ports", r)
	}

	sg := rulesWhere(shared.FirewallRules, func(r blueprint.FirewallRule) bool { return r.Layer == blueprint.LayerSecurityGroup })
	acl := rulesWhere(shared.FirewallRules, func(r blueprint.FirewallRule) bool { return r.Layer == blueprint.LayerNetworkACL })
	if len(sg) != 1 || sg[0].Direction != blueprint.Ingress || !slices.Equal(sg[0].CIDRs, []string{"10.66.0.0/16"}) {
		t.Errorf("shared (AWS) security group rules %+v, want one ingress from prod's range", sg)
	}
	if len(acl) != 2 {
		t.Errorf("shared (AWS) network ACL rules %+v, want the request in and the replies out", acl)
	}
	if slices.ContainsFunc(prod.FirewallRules, func(r blueprint.FirewallRule) bool { return r.Layer != blueprint.LayerVPCFirewall }) {
		t.Errorf("prod is on Google Cloud but got AWS rules")
	}
	if !slices.Contains(prod.Outbound, blueprint.FlowRef{Peer: "shared", Purpose: "telemetry"}) ||
		!slices.Contains(shared.Inbound, blueprint.FlowRef{Peer: "prod", Purpose: "telemetry"}) {
		t.Errorf("flow refs: prod out %v, shared in %v", prod.Outbound, shared.Inbound)
	}
}

// TestBoundaryAcrossCloudsSaysWhatItCannotGrant: flows that grant by IAM
// across clouds, and deploys into a private GKE endpoint, grant nothing and
// say so, naming the flow.
func TestBoundaryAcrossCloudsSaysWhatItCannotGrant(t *testing.T) {
	for _, tc := range []struct {
		flow  segment.Flow
		words string
	}{
		{bFlow("staging", "prod", segment.ModelPromotion), "between environments of one cloud only"},
		{bFlow("shared", "prod", segment.ArtifactPull), "between environments of one cloud only"},
		{bFlow("shared", "prod", segment.Deploy), "private endpoint"},
	} {
		bds, issues := blueprint.Boundaries(mixedTopology(tc.flow))
		if len(issues) != 1 || issues[0].Flow != 0 || !strings.Contains(issues[0].Message, tc.words) {
			t.Errorf("%v: issues %+v, want one naming %q", tc.flow, issues, tc.words)
			continue
		}
		for name, bd := range bds {
			if len(bd.FirewallRules)+len(bd.Identities)+len(bd.ResourceGrants)+len(bd.Inbound)+len(bd.Outbound) != 0 {
				t.Errorf("%v: %s got %+v from a flow that grants nothing", tc.flow, name, bd)
			}
		}
	}
}

// gcpTopology puts all four environments on Google Cloud, one project each.
func gcpTopology(flows ...segment.Flow) segment.Topology {
	topo := topologyOf(fourNames, flows...)
	for i, m := range topo.Environments {
		topo.Environments[i] = memberOf(gcpEnvironment(topologyEnvironment(m.Name), "acme-ml-"+m.Name))
	}
	return topo
}

// TestBoundaryGCPPromotionAndPull: between Google Cloud environments, a
// model promotion gives the target a promoter service account usable only
// by its CI subject, which the source's models bucket names and nothing
// else; an artifact pull names exactly the puller's node service account.
func TestBoundaryGCPPromotionAndPull(t *testing.T) {
	bds := boundaries(t, gcpTopology(bFlow("staging", "prod", segment.ModelPromotion), bFlow("shared", "prod", segment.ArtifactPull)))
	prod, staging, shared := bds["prod"], bds["staging"], bds["shared"]
	if len(prod.Identities) != 1 {
		t.Fatalf("prod identities %+v, want the promoter", prod.Identities)
	}
	p := prod.Identities[0]
	if p.Principal != "acme-prod-promoter--staging@acme-ml-prod.iam.gserviceaccount.com" || p.GCP == nil || p.GCP.Federation == nil ||
		p.GCP.Federation.AttributeCondition != `assertion.sub == "repo:acme/ml:environment:prod"` {
		t.Errorf("promoter %+v", p)
	}
	for _, b := range p.GCP.Bindings {
		switch {
		case b.Scope == blueprint.ScopeBucket && val(b.Resource) == blueprint.BucketModels:
		case b.Scope == blueprint.ScopeServiceAccount && strings.HasSuffix(b.Member, "/workloadIdentityPools/acme-prod-ci/subject/repo:acme/ml:environment:prod"):
		default:
			t.Errorf("promoter binding %+v reaches beyond prod's models and prod's CI", b)
		}
	}
	if len(staging.ResourceGrants) != 1 {
		t.Fatalf("staging grants %+v, want its models bucket for the promoter", staging.ResourceGrants)
	}
	g := staging.ResourceGrants[0]
	if g.Kind != blueprint.GrantBucket || g.Target != blueprint.BucketModels || g.GCP == nil || g.AWS != nil ||
		g.GCP.Role != "roles/storage.objectViewer" || g.GCP.Member != "serviceAccount:"+p.Principal {
		t.Errorf("staging's grant %+v", g)
	}
	if len(shared.ResourceGrants) != 1 || shared.ResourceGrants[0].GCP == nil ||
		shared.ResourceGrants[0].GCP.Member != "serviceAccount:acme-prod-node@acme-ml-prod.iam.gserviceaccount.com" {
		t.Errorf("shared's grants %+v, want the registry for prod's nodes", shared.ResourceGrants)
	}
}

// TestBoundaryGCPPromoterNameTooLong: a promoter whose service account ID
// would not fit grants nothing and says why.
func TestBoundaryGCPPromoterNameTooLong(t *testing.T) {
	topo := gcpTopology(bFlow("staging", "prod", segment.ModelPromotion))
	for i := range topo.Environments {
		topo.Environments[i].Organization = "acme-research"
	}
	_, issues := blueprint.Boundaries(topo)
	if len(issues) != 1 || !strings.Contains(issues[0].Message, `"acme-research-prod-promoter--staging" would have 36 characters`) {
		t.Errorf("issues %+v", issues)
	}
}

// TestBoundaryGCPFirewallNameTooLong: a flow whose Google Cloud firewall
// rule name would pass 63 characters grants nothing and says why.
func TestBoundaryGCPFirewallNameTooLong(t *testing.T) {
	topo := mixedTopology(bFlow("prod", "shared", segment.Telemetry))
	for i := range topo.Environments {
		topo.Environments[i].Organization = "acme-research-and-development"
	}
	bds, issues := blueprint.Boundaries(topo)
	if len(issues) != 1 || !strings.Contains(issues[0].Message, "at most 63") {
		t.Fatalf("issues %+v, want one naming the 63-character limit", issues)
	}
	if len(bds["prod"].FirewallRules)+len(bds["shared"].FirewallRules) != 0 {
		t.Errorf("a flow that grants nothing opened rules: %+v %+v", bds["prod"].FirewallRules, bds["shared"].FirewallRules)
	}
	// The same flow with the usual organization fits.
	if _, issues := blueprint.Boundaries(mixedTopology(bFlow("prod", "shared", segment.Telemetry))); len(issues) != 0 {
		t.Errorf("issues %+v for names that fit", issues)
	}
}
