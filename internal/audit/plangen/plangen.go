// Package plangen writes large Terraform plans, in the form `terraform show
// -json` prints, for the audit's benchmarks: the audit and conftest are
// measured on the same generated document.
//
// A plan is a sequence of stacks of ten aws resources each (a VPC, a
// subnet, a security group and a separate ingress rule, an IAM role, a KMS
// key, a bucket and its policy, a volume encrypted with the key, and an
// instance), spread round-robin over four environments that tags name.
// Identifiers and ARNs are unknown at plan time, as they are in a real
// plan, and the configuration section holds the references that explain
// them. A fixed share of stacks carries a violation, so findings grow with
// the plan:
//   - every 50th stack's security group admits the next environment's range
//     (SEG701);
//   - every 100th stack's role trusts the next environment's account
//     (SEG703);
//   - every 200th stack's volume uses the previous stack's key, which
//     belongs to another environment (SEG705).
//
// The output is deterministic: the same n gives the same bytes.
package plangen

import (
	"encoding/json"
	"fmt"
	"strings"
)

// StackSize is the number of resources in one stack.
const StackSize = 10

// Environment is one of the four environments a generated plan uses.
type Environment struct {
	Name, Tier, CIDR, Account string
}

// Environments are the environments of every generated plan, in the order
// the stacks cycle through them. Each environment's VPCs are /24s of its
// /12.
var Environments = []Environment{
	{"dev", "development", "10.16.0.0/12", "111111111111"},
	{"staging", "staging", "10.32.0.0/12", "222222222222"},
	{"prod", "production", "10.48.0.0/12", "333333333333"},
	{"shared", "shared", "10.64.0.0/12", "444444444444"},
}

// MaxResources is the largest plan Plan writes: each environment's /12
// holds 4,096 VPCs of a /24.
const MaxResources = 4096 * 4 * StackSize

// EnvironmentsFile returns the environments file (HCL) that declares
// Environments, for `audit --environments`.
func EnvironmentsFile() string {
	var b strings.Builder
	for i, e := range Environments {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "environment %q {\n  tier     = %q\n  cidrs    = [%q]\n  accounts = [%q]\n}\n", e.Name, e.Tier, e.CIDR, e.Account)
	}
	return b.String()
}

// Plan returns a plan of n resources (rounded up to whole stacks).
func Plan(n int) ([]byte, error) {
	if n < 1 || n > MaxResources {
		return nil, fmt.Errorf("plangen: n must be between 1 and %d, not %d", MaxResources, n)
	}
	g := &generator{}
	for k := 0; k*StackSize < n; k++ {
		g.stack(k)
	}
	doc := map[string]any{
		"format_version":    "1.2",
		"terraform_version": "1.9.8",
		"planned_values":    map[string]any{"root_module": map[string]any{"resources": g.planned}},
		"resource_changes":  g.changes,
		"configuration": map[string]any{
			"provider_config": map[string]any{"aws": map[string]any{"name": "aws", "full_name": provider}},
			"root_module":     map[string]any{"resources": g.config},
		},
	}
	return json.Marshal(doc)
}

const provider = "registry.terraform.io/hashicorp/aws"

type generator struct {
	planned, changes, config []any
}

// ref is a configuration reference to another resource's attribute.
func ref(addr, attr string) map[string]any {
	return map[string]any{"references": []any{addr + "." + attr, addr}}
}

// constant is a configuration expression with a known value.
func constant(v any) map[string]any {
	return map[string]any{"constant_value": v}
}

// add records one resource: its known values, the attributes unknown at
// plan time, and its configuration's expressions (constants for the known
// values, refs for the unknown ones).
func (g *generator) add(typ, name string, values map[string]any, refs map[string]map[string]any) {
	addr := typ + "." + name
	head := func() map[string]any {
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name}
	}
	unknown := map[string]any{"id": true, "arn": true}
	exprs := map[string]any{}
	for k, v := range values {
		exprs[k] = constant(v)
	}
	for k, r := range refs {
		unknown[k] = true
		exprs[k] = r
	}

	p := head()
	p["provider_name"] = provider
	p["schema_version"] = 0
	p["values"] = values
	p["sensitive_values"] = map[string]any{}
	g.planned = append(g.planned, p)

	c := head()
	c["provider_name"] = provider
	c["change"] = map[string]any{
		"actions": []any{"create"}, "before": nil, "after": values,
		"after_unknown": unknown, "before_sensitive": false, "after_sensitive": map[string]any{},
	}
	g.changes = append(g.changes, c)

	f := head()
	f["provider_config_key"] = "aws"
	f["schema_version"] = 0
	f["expressions"] = exprs
	g.config = append(g.config, f)
}

// vpcCIDR is the /24 of environment e's j-th VPC.
func vpcCIDR(e, j int) string {
	return fmt.Sprintf("10.%d.%d.0/24", 16*(e+1)+j/256, j%256)
}

func trust(account string) string {
	policy, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
		}},
	})
	return string(policy)
}

func (g *generator) stack(k int) {
	e := k % len(Environments)
	env := Environments[e]
	next := Environments[(e+1)%len(Environments)]
	j := k / len(Environments)
	cidr := vpcCIDR(e, j)
	tags := map[string]any{"environment": env.Name, "stack": fmt.Sprint(k)}
	n := func(kind string) string { return fmt.Sprintf("%s_%d", kind, k) }
	subnet := strings.Replace(cidr, ".0/24", ".0/25", 1)

	g.add("aws_vpc", n("vpc"), map[string]any{"cidr_block": cidr, "tags": tags, "enable_dns_support": true}, nil)
	g.add("aws_subnet", n("subnet"), map[string]any{"cidr_block": subnet, "tags": tags},
		map[string]map[string]any{"vpc_id": ref("aws_vpc."+n("vpc"), "id")})

	admitted := env.CIDR
	if k%50 == 49 {
		admitted = next.CIDR
	}
	g.add("aws_security_group", n("sg"), map[string]any{
		"name": env.Name + "-" + n("sg"), "tags": tags,
		"ingress": []any{map[string]any{
			"cidr_blocks": []any{admitted}, "from_port": 443, "to_port": 443, "protocol": "tcp",
			"description": "https", "ipv6_cidr_blocks": []any{}, "prefix_list_ids": []any{}, "security_groups": []any{}, "self": false,
		}},
		"egress": []any{},
	}, map[string]map[string]any{"vpc_id": ref("aws_vpc."+n("vpc"), "id")})
	g.add("aws_vpc_security_group_ingress_rule", n("https"), map[string]any{
		"cidr_ipv4": cidr, "from_port": 8443, "to_port": 8443, "ip_protocol": "tcp", "tags": tags,
	}, map[string]map[string]any{"security_group_id": ref("aws_security_group."+n("sg"), "id")})

	trusted := env.Account
	if k%100 == 99 {
		trusted = next.Account
	}
	g.add("aws_iam_role", n("role"), map[string]any{"name": env.Name + "-" + n("role"), "assume_role_policy": trust(trusted), "tags": tags}, nil)
	g.add("aws_kms_key", n("key"), map[string]any{"description": env.Name + " data", "policy": trust(env.Account), "tags": tags}, nil)
	g.add("aws_s3_bucket", n("bucket"), map[string]any{"bucket": env.Name + "-" + n("bucket"), "tags": tags}, nil)
	g.add("aws_s3_bucket_policy", n("bucket_policy"), map[string]any{"policy": trust(env.Account)},
		map[string]map[string]any{"bucket": ref("aws_s3_bucket."+n("bucket"), "id")})

	key := "aws_kms_key." + n("key")
	if k%200 == 199 {
		key = fmt.Sprintf("aws_kms_key.key_%d", k-1)
	}
	g.add("aws_ebs_volume", n("volume"), map[string]any{"size": 100, "encrypted": true, "availability_zone": "eu-west-1a", "tags": tags},
		map[string]map[string]any{"kms_key_id": ref(key, "arn")})
	g.add("aws_instance", n("instance"), map[string]any{"instance_type": "m7i.large", "ami": "ami-0123456789abcdef0", "tags": tags},
		map[string]map[string]any{"subnet_id": ref("aws_subnet."+n("subnet"), "id"), "vpc_security_group_ids": ref("aws_security_group."+n("sg"), "id")})
}
