package eval

import (
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
)

// Grantee is one principal a policy grants, with where it comes from. It is
// what Grantees returns, with the detail Grantees drops.
type Grantee struct {
	audit.Principal
	// Statement is the index of the statement in Policy.Statements, Sid
	// its Sid.
	Statement int
	Sid       string
	// Type is the principal type (AWS, Service, Federated, CanonicalUser,
	// or "*" for anyone); empty for a grantee from a condition.
	Type string
	// Operator is the condition operator of a grantee from a condition.
	Operator string
	// Note explains a grantee that is not simply written: a NotPrincipal.
	Note string
}

// grantKeys are the condition keys whose values name the account or the
// principal a request comes from, by lower-case name. A positive condition
// on one narrows who a statement grants to the values named. Keys that do
// not narrow the requester are left out on purpose:
//
//   - aws:ResourceAccount names the account of the resource acted on, not
//     of who acts;
//   - aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceOrgID and
//     aws:SourceOrgPaths name an organization, which normally holds every
//     environment, so they do not keep one environment from another;
//   - network keys (aws:SourceVpc, aws:SourceVpce, aws:SourceIp) say where
//     a request travels, not who makes it.
var grantKeys = map[string]bool{
	"aws:principalaccount": true, // account of the principal
	"aws:principalarn":     true, // ARN of the principal (role, user, account root)
	"aws:sourceaccount":    true, // account of the resource a service acts for
	"aws:sourcearn":        true, // ARN of that resource
	"aws:sourceowner":      true, // older form of aws:SourceAccount (SNS, SES)
	"kms:calleraccount":    true, // account of the caller of a KMS operation
}

// GrantKey reports whether a condition key is one whose values Grantees
// reports as grantees (the keys are compared without regard to case).
func GrantKey(key string) bool { return grantKeys[strings.ToLower(key)] }

// narrowing reports whether a condition operator holds only for the values
// it lists: the string and ARN equality and pattern operators, with or
// without ForAnyValue:/ForAllValues: and IfExists. Negated operators
// (StringNotEquals) admit everything but their values, so they name no
// grantee; Null, Bool, numeric, date and IP operators do not compare
// identifiers.
func narrowing(op string) bool {
	o := strings.ToLower(op)
	if i := strings.IndexByte(o, ':'); i >= 0 {
		switch o[:i] {
		case "foranyvalue", "forallvalues":
			o = o[i+1:]
		default:
			return false
		}
	}
	o = strings.TrimSuffix(o, "ifexists")
	switch o {
	case "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike":
		return true
	}
	return false
}

// Grantees returns who the policy's Allow statements grant, in document
// order without repeats:
//
//   - each AWS principal as written, with the account its identifier names
//     (an account ID, an ARN of the account root, a role, a user, an STS
//     assumed role or federated user); unique IDs (AROA...) name none;
//   - "*" and {"AWS": "*"} as Text "*": anyone, unless a condition narrows
//     it;
//   - Service and CanonicalUser principals with no account, Federated
//     principals with the account of an identity-provider ARN
//     (arn:aws:iam::111122223333:oidc-provider/...) and none for a provider
//     name such as cognito-identity.amazonaws.com;
//   - a statement with NotPrincipal grants everyone but the principals it
//     lists: Text "*", the exception in GranteeDetails' Note;
//   - for each condition of a statement that names principals, whose key
//     is a GrantKey and whose operator compares for equality or a pattern,
//     one Principal per value with Condition set to the key as written,
//     Text to the value and Account to the account it names.
//
// Deny statements grant nothing; neither do statements without Principal
// or NotPrincipal (an identity policy grants the identity it is attached
// to, which the caller knows). Grantees says who is named, not what they
// may do: actions and resources are not evaluated.
func (p Policy) Grantees() []audit.Principal {
	return principals(p.GranteeDetails())
}

// Grantees returns who one statement grants, as Policy.Grantees does. A
// "*" of a statement is narrowed only by the conditions of that same
// statement; callers that weigh conditions should look per statement.
func (s Statement) Grantees() []audit.Principal {
	return principals(s.grantees(0))
}

// GranteeDetails returns what Grantees returns, with the statement, type,
// operator and note of each grantee, repeats kept when they come from
// different statements.
func (p Policy) GranteeDetails() []Grantee {
	var out []Grantee
	for i, s := range p.Statements {
		out = append(out, s.grantees(i)...)
	}
	return out
}

func principals(gs []Grantee) []audit.Principal {
	var out []audit.Principal
	seen := map[audit.Principal]bool{}
	for _, g := range gs {
		if !seen[g.Principal] {
			seen[g.Principal] = true
			out = append(out, g.Principal)
		}
	}
	return out
}

func (s Statement) grantees(index int) []Grantee {
	if !s.Allow() || len(s.Principals) == 0 {
		return nil
	}
	var out []Grantee
	add := func(g Grantee) {
		g.Statement, g.Sid = index, s.Sid
		for _, o := range out {
			if o.Principal == g.Principal {
				return
			}
		}
		out = append(out, g)
	}
	if s.NotPrincipal {
		except := make([]string, len(s.Principals))
		for i, pp := range s.Principals {
			except[i] = pp.Value
		}
		add(Grantee{
			Principal: audit.Principal{Text: "*"},
			Type:      "*",
			Note:      "NotPrincipal: everyone except " + strings.Join(except, ", "),
		})
	} else {
		for _, pp := range s.Principals {
			g := Grantee{Principal: audit.Principal{Text: pp.Value}, Type: pp.Type}
			switch pp.Type {
			case "*":
			case "AWS":
				if strings.TrimSpace(pp.Value) == "*" {
					g.Text, g.Type = "*", "*"
				} else {
					g.Account = AWSAccount(pp.Value)
				}
			case "Federated":
				g.Account = AWSAccount(pp.Value)
			}
			add(g)
		}
	}
	for _, c := range s.Conditions {
		if !GrantKey(c.Key) || !narrowing(c.Operator) {
			continue
		}
		for _, v := range c.Values {
			add(Grantee{
				Principal: audit.Principal{Text: v, Account: AWSAccount(v), Condition: c.Key},
				Operator:  c.Operator,
			})
		}
	}
	return out
}

// AWSAccount returns the account ID an identifier names, "" if none: a
// 12-digit account ID itself, or the account field of an ARN of any
// partition (aws, aws-cn, aws-us-gov, the ISO partitions) and any service
// (arn:aws:iam::111122223333:role/x, ...:root,
// arn:aws:sts::111122223333:assumed-role/r/s, arn:aws-cn:kms:...:key/...).
// ARNs without an account (arn:aws:s3:::bucket), with a wildcard or a
// policy variable in it, and with "aws" (AWS managed policies) name none.
func AWSAccount(identifier string) string {
	id := strings.TrimSpace(identifier)
	if isAccountID(id) {
		return id
	}
	if len(id) < 4 || !strings.EqualFold(id[:4], "arn:") {
		return ""
	}
	parts := strings.SplitN(id, ":", 6)
	if len(parts) < 6 || !isPartition(parts[1]) || parts[2] == "" {
		return ""
	}
	if isAccountID(parts[4]) {
		return parts[4]
	}
	return ""
}

func isAccountID(s string) bool {
	return len(s) == 12 && allDigits(s)
}

// isPartition accepts "aws" and "aws-" followed by lower-case letters and
// hyphens: aws-cn, aws-us-gov, aws-iso-b, aws-eusc.
func isPartition(s string) bool {
	if s == "aws" {
		return true
	}
	rest, ok := strings.CutPrefix(s, "aws-")
	if !ok || rest == "" {
		return false
	}
	for i := range len(rest) {
		if c := rest[i]; (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}
