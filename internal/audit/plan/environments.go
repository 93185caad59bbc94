package plan

import (
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// registry holds the environments the audit knows, from the summaries of
// segmented_ml_environment resources, the environments file and the tags.
type registry struct {
	byName map[string]*audit.Environment
	flows  []segment.Flow
}

func newRegistry(file *envfile.File) *registry {
	reg := &registry{byName: map[string]*audit.Environment{}}
	if file != nil {
		for _, e := range file.Environments {
			reg.byName[e.Name] = &e
		}
		reg.flows = append(reg.flows, file.Flows...)
	}
	return reg
}

// declare adds an environment, or the facts of one it already has.
func (reg *registry) declare(e audit.Environment) {
	have := reg.byName[e.Name]
	if have == nil {
		reg.byName[e.Name] = &e
		return
	}
	if have.Tier == "" {
		have.Tier = e.Tier
	}
	for _, p := range e.CIDRs {
		if !slices.ContainsFunc(have.CIDRs, func(c netip.Prefix) bool { return netplan.Contains(c, p) }) {
			have.CIDRs = append(have.CIDRs, p)
		}
	}
	have.Accounts = appendNew(have.Accounts, e.Accounts...)
	have.Principals = appendNew(have.Principals, e.Principals...)
}

func (reg *registry) get(name string) *audit.Environment { return reg.byName[name] }

// byAccount returns the environment that declares an account, project or
// subscription.
func (reg *registry) byAccount(account string) (string, bool) {
	if account == "" {
		return "", false
	}
	for _, name := range reg.names() {
		if slices.ContainsFunc(reg.byName[name].Accounts, func(a string) bool { return strings.EqualFold(a, account) }) {
			return name, true
		}
	}
	return "", false
}

// containing returns the environment whose declared ranges hold every
// prefix.
func (reg *registry) containing(prefixes []netip.Prefix) (string, netip.Prefix, bool) {
	if len(prefixes) == 0 {
		return "", netip.Prefix{}, false
	}
	for _, name := range reg.names() {
		for _, c := range reg.byName[name].CIDRs {
			inside := true
			for _, p := range prefixes {
				if c.Bits() > p.Bits() || !c.Contains(p.Addr()) {
					inside = false
					break
				}
			}
			if inside {
				return name, c, true
			}
		}
	}
	return "", netip.Prefix{}, false
}

func (reg *registry) names() []string {
	names := make([]string, 0, len(reg.byName))
	for n := range reg.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (reg *registry) list() []audit.Environment {
	var out []audit.Environment
	for _, n := range reg.names() {
		e := *reg.byName[n]
		sort.Slice(e.CIDRs, func(i, j int) bool { return e.CIDRs[i].String() < e.CIDRs[j].String() })
		sort.Strings(e.Accounts)
		sort.Strings(e.Principals)
		out = append(out, e)
	}
	return out
}

func appendNew(have []string, more ...string) []string {
	for _, m := range more {
		if m != "" && !slices.Contains(have, m) {
			have = append(have, m)
		}
	}
	return have
}
