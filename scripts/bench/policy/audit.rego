# The audit's checks on a generated plan (internal/audit/plangen), written
# as conftest policies for scripts/bench-audit.sh: the baseline the audit is
# measured against. They cover what the generated plan holds, attributed as
# the plan attributes it (the environment tag), and are no more general than
# that: a firewall rule admitting another environment's range (SEG701), a
# trust, key or bucket policy naming another environment's account (SEG703,
# SEG704, SEG706), a key used by another environment's volume (SEG705), and a
# network inside another environment's range (SEG707).
package main

import rego.v1

environments := {
	"dev": {"cidr": "10.16.0.0/12", "account": "111111111111"},
	"staging": {"cidr": "10.32.0.0/12", "account": "222222222222"},
	"prod": {"cidr": "10.48.0.0/12", "account": "333333333333"},
	"shared": {"cidr": "10.64.0.0/12", "account": "444444444444"},
}

resources := input.planned_values.root_module.resources

config := {r.address: r | some r in input.configuration.root_module.resources}

tagged := {r.address: r.values.tags.environment |
	some r in resources
	r.values.tags.environment
}

# env is each resource's environment: its tag, or the environment of the
# resource its configuration refers to (a bucket policy's bucket). Complete
# objects, so that OPA computes each once and looks keys up in it.
inherited := {r.address: owner |
	some r in resources
	not r.values.tags
	some expr in config[r.address].expressions
	some target in expr.references
	owner := tagged[target]
}

env := object.union(inherited, tagged)

other_env(own, cidr) := name if {
	some name, e in environments
	name != own
	net.cidr_intersects(cidr, e.cidr)
}

deny contains msg if {
	some r in resources
	r.type == "aws_security_group"
	some rule in r.values.ingress
	some cidr in rule.cidr_blocks
	other := other_env(env[r.address], cidr)
	msg := sprintf("SEG701 %s admits %s's %s", [r.address, other, cidr])
}

deny contains msg if {
	some r in resources
	r.type == "aws_vpc_security_group_ingress_rule"
	other := other_env(env[r.address], r.values.cidr_ipv4)
	msg := sprintf("SEG701 %s admits %s's %s", [r.address, other, r.values.cidr_ipv4])
}

policy_rule := {"aws_iam_role": ["assume_role_policy", "SEG703"], "aws_kms_key": ["policy", "SEG704"], "aws_s3_bucket_policy": ["policy", "SEG706"]}

principals(p) := {p} if is_string(p)

principals(p) := {x | some x in p} if is_array(p)

deny contains msg if {
	some r in resources
	some attr_rule in [policy_rule[r.type]]
	doc := json.unmarshal(r.values[attr_rule[0]])
	some st in doc.Statement
	some arn in principals(st.Principal.AWS)
	account := split(arn, ":")[4]
	some name, e in environments
	e.account == account
	name != env[r.address]
	msg := sprintf("%s %s names %s's account %s", [attr_rule[1], r.address, name, account])
}

deny contains msg if {
	some r in resources
	r.type == "aws_ebs_volume"
	some target in config[r.address].expressions.kms_key_id.references
	owner := tagged[target]
	owner != env[r.address]
	msg := sprintf("SEG705 %s uses %s's key %s", [r.address, owner, target])
}

deny contains msg if {
	some r in resources
	r.type in {"aws_vpc", "aws_subnet"}
	other := other_env(env[r.address], r.values.cidr_block)
	msg := sprintf("SEG707 %s's %s lies in %s's range", [r.address, r.values.cidr_block, other])
}
