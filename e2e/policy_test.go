//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// strList is an IAM policy field that is a string or a list of strings.
type strList []string

func (s *strList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = strList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// principal is a policy's Principal: "*" or a map of kinds (AWS, Service,
// Federated, CanonicalUser) to one or more names.
type principal struct {
	Star  bool
	Kinds map[string]strList
}

func (p *principal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s != "*" {
			return fmt.Errorf("principal %q is neither \"*\" nor an object", s)
		}
		p.Star = true
		return nil
	}
	return json.Unmarshal(b, &p.Kinds)
}

// all returns every principal as "Kind:name", with "*" for Principal "*".
func (p *principal) all() []string {
	if p == nil {
		return nil
	}
	if p.Star {
		return []string{"AWS:*"}
	}
	var out []string
	for k, vs := range p.Kinds {
		for _, v := range vs {
			out = append(out, k+":"+v)
		}
	}
	sort.Strings(out)
	return out
}

type statement struct {
	Sid          string
	Effect       string
	Principal    *principal
	NotPrincipal *principal
	Action       strList
	NotAction    strList
	Resource     strList
	NotResource  strList
	Condition    map[string]map[string]strList
	raw          string
}

func (s statement) name(i int) string {
	if s.Sid != "" {
		return fmt.Sprintf("statement %q", s.Sid)
	}
	return fmt.Sprintf("statement #%d", i)
}

type policyDoc struct {
	Version   string
	Statement []statement
}

// parsePolicy parses a policy document as the IAM, KMS or S3 API returns it.
// IAM returns documents URL-encoded (RFC 3986); KMS and S3 return plain JSON.
func parsePolicy(doc string) (*policyDoc, error) {
	text := strings.TrimSpace(doc)
	if !strings.HasPrefix(text, "{") {
		dec, err := url.QueryUnescape(text)
		if err != nil {
			return nil, fmt.Errorf("policy is neither JSON nor URL-encoded JSON: %w", err)
		}
		text = dec
	}
	var top struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		return nil, fmt.Errorf("policy is not JSON: %w", err)
	}
	var raws []json.RawMessage
	st := bytes.TrimSpace(top.Statement)
	switch {
	case len(st) == 0:
	case st[0] == '{':
		raws = []json.RawMessage{st}
	default:
		if err := json.Unmarshal(st, &raws); err != nil {
			return nil, fmt.Errorf("policy Statement: %w", err)
		}
	}
	p := &policyDoc{Version: top.Version}
	for i, raw := range raws {
		var s statement
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("policy statement #%d: %w", i, err)
		}
		s.raw = string(raw)
		p.Statement = append(p.Statement, s)
	}
	return p, nil
}

var serviceWildcard = regexp.MustCompile(`^[A-Za-z0-9-]+:\*$`)

// wildcardActions returns the wildcard grants of a policy's Allow statements:
// the action "*", a whole service ("s3:*"), or any NotAction (which grants
// everything it does not list).
func wildcardActions(p *policyDoc) []string {
	var out []string
	for i, s := range p.Statement {
		if !strings.EqualFold(s.Effect, "Allow") {
			continue
		}
		for _, a := range s.Action {
			if a == "*" || serviceWildcard.MatchString(a) {
				out = append(out, fmt.Sprintf("%s allows the wildcard action %q", s.name(i), a))
			}
		}
		if len(s.NotAction) > 0 {
			out = append(out, fmt.Sprintf("%s allows every action but NotAction %v", s.name(i), []string(s.NotAction)))
		}
	}
	return out
}

var accountInARN = regexp.MustCompile(`^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):`)

// principalAccount returns the account an AWS principal belongs to: the
// account of an IAM/STS ARN, or a bare account ID. ok is false otherwise.
func principalAccount(p string) (string, bool) {
	if m := accountInARN.FindStringSubmatch(p); m != nil {
		return m[1], true
	}
	if len(p) == 12 && strings.Trim(p, "0123456789") == "" {
		return p, true
	}
	return "", false
}

func isServicePrincipal(s string) bool {
	return strings.HasSuffix(s, ".amazonaws.com") || strings.HasSuffix(s, ".amazonaws.com.cn")
}

// principalRules are what a policy of one account may name.
type principalRules struct {
	account string
	// oidcProviders: the ARNs of the OIDC providers that exist in the account.
	oidcProviders map[string]bool
	// foreignRoles: role ARN -> environment, for the roles of every other environment.
	foreignRoles map[string]string
	// foreignAccounts: account -> environment, for every other environment.
	foreignAccounts map[string]string
}

// checkPrincipals returns what an Allow statement names beyond the account's
// own principals, AWS service principals and the account's OIDC providers.
// A statement is allowed to name foreign principals only if allowForeign
// accepts it (a declared flow's grant); allowForeign may be nil.
func checkPrincipals(p *policyDoc, r principalRules, allowForeign func(i int, s statement) (bool, string)) []string {
	var out []string
	for i, s := range p.Statement {
		allow := strings.EqualFold(s.Effect, "Allow")
		if allow && s.NotPrincipal != nil {
			out = append(out, fmt.Sprintf("%s allows NotPrincipal %v, that is everyone else", s.name(i), s.NotPrincipal.all()))
		}
		var foreign []string
		for _, pr := range s.Principal.all() {
			kind, name, _ := strings.Cut(pr, ":")
			switch kind {
			case "AWS":
				if name == "*" {
					if allow {
						out = append(out, fmt.Sprintf("%s allows every AWS principal (\"*\")", s.name(i)))
					}
					continue
				}
				acct, ok := principalAccount(name)
				switch {
				case !ok:
					out = append(out, fmt.Sprintf("%s names the unrecognised AWS principal %q", s.name(i), name))
				case acct != r.account:
					foreign = append(foreign, name)
				}
			case "Service":
				if !isServicePrincipal(name) {
					out = append(out, fmt.Sprintf("%s names %q, which is not an AWS service principal", s.name(i), name))
				}
			case "Federated":
				if !r.oidcProviders[name] {
					out = append(out, fmt.Sprintf("%s trusts the federated principal %q, which is not an OIDC provider of account %s", s.name(i), name, r.account))
				}
			default:
				out = append(out, fmt.Sprintf("%s names the %s principal %q", s.name(i), kind, name))
			}
		}
		// Anything in the statement (principals, resources, conditions such
		// as aws:SourceAccount) that names another environment's account or role.
		for acct, env := range r.foreignAccounts {
			if strings.Contains(s.raw, acct) && !contains(foreign, acct) {
				mentioned := false
				for _, f := range foreign {
					if strings.Contains(f, acct) {
						mentioned = true
					}
				}
				if !mentioned {
					foreign = append(foreign, fmt.Sprintf("account %s of %s (in %s)", acct, env, fieldsNaming(s, acct)))
				}
			}
		}
		if len(foreign) == 0 {
			continue
		}
		if allowForeign != nil {
			if ok, why := allowForeign(i, s); ok {
				continue
			} else if why != "" {
				out = append(out, fmt.Sprintf("%s names %v of another environment: %s", s.name(i), foreign, why))
				continue
			}
		}
		out = append(out, fmt.Sprintf("%s (%s) names %v of another environment%s", s.name(i), s.Effect, foreign, roleNote(foreign, r.foreignRoles)))
	}
	return out
}

func roleNote(names []string, roles map[string]string) string {
	var notes []string
	for _, n := range names {
		if env, ok := roles[n]; ok {
			notes = append(notes, fmt.Sprintf("%s is a role of %s", n, env))
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// fieldsNaming says which fields of a statement contain s.
func fieldsNaming(st statement, s string) string {
	var fields []string
	has := func(l strList) bool {
		for _, v := range l {
			if strings.Contains(v, s) {
				return true
			}
		}
		return false
	}
	if has(st.Resource) {
		fields = append(fields, "Resource")
	}
	if has(st.NotResource) {
		fields = append(fields, "NotResource")
	}
	for op, kv := range st.Condition {
		for k, v := range kv {
			if has(v) {
				fields = append(fields, "Condition "+op+" "+k)
			}
		}
	}
	if len(fields) == 0 {
		return "the statement"
	}
	sort.Strings(fields)
	return strings.Join(fields, ", ")
}

func contains(l []string, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}
