package audit

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Check runs every audit rule over the facts of one plan.
func Check(f Facts) Result {
	c := newChecker(f)
	c.firewallRules()
	c.links()
	c.grants()
	c.sharedKeys()
	c.overlaps()
	c.kubernetes()
	c.unattributed()
	c.blind()
	SortFindings(c.findings)
	res := Result{Findings: c.findings, Resources: len(f.Resources), Environments: f.Environments}
	for _, r := range f.Resources {
		if r.Attribution.Known() {
			res.Attributed++
		}
	}
	return res
}

type checker struct {
	f        Facts
	byAddr   map[string]int
	envs     map[string]Environment
	rules    map[string]rules.Rule
	findings []Finding
	seen     map[string]bool
	denies   map[string][]FirewallRule // ordered deny rules by owner
}

func newChecker(f Facts) *checker {
	c := &checker{f: f, byAddr: map[string]int{}, envs: map[string]Environment{}, rules: map[string]rules.Rule{}, seen: map[string]bool{}}
	for i, r := range f.Resources {
		c.byAddr[r.Address] = i
	}
	c.denies = map[string][]FirewallRule{}
	for _, fr := range f.FirewallRules {
		if fr.Deny && fr.Priority > 0 {
			c.denies[refKey(fr.Owner)] = append(c.denies[refKey(fr.Owner)], fr)
		}
	}
	for _, e := range f.Environments {
		c.envs[e.Name] = e
	}
	for _, r := range rules.Catalog() {
		if r.Audited() {
			c.rules[r.ID] = r
		}
	}
	return c
}

// report adds a finding, once per rule, resource, path and other side.
func (c *checker) report(id string, res int, path string, other Attribution, format string, args ...any) {
	r := c.f.Resources[res]
	key := strings.Join([]string{id, r.Address, path, other.Environment}, "\x00")
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.findings = append(c.findings, Finding{
		Rule: c.rules[id], Address: r.Address, Path: path, Cloud: string(r.Cloud),
		Environment: r.Attribution, Other: other, Message: fmt.Sprintf(format, args...),
	})
}

// refEnv is the environment of the resource a reference points at.
func (c *checker) refEnv(ref Ref) (Attribution, bool) {
	if i, ok := c.byAddr[ref.Address]; ok && c.f.Resources[i].Attribution.Known() {
		at := c.f.Resources[i].Attribution
		return Attribution{Environment: at.Environment, Method: at.Method, Evidence: ref.Address + ": " + at.Evidence}, true
	}
	return Attribution{}, false
}

// ownerEnv is the environment a rule, link or grant acts for: its
// resource's, or else that of the group or network it belongs to.
func (c *checker) ownerEnv(res int, owner Ref) (Attribution, bool) {
	if at := c.f.Resources[res].Attribution; at.Known() {
		return at, true
	}
	return c.refEnv(owner)
}

// rangeEnvs returns the environments other than own that a peer range
// reaches. A range inside one environment's declared range is that
// environment's alone (inside own's, it is own's): where another
// environment's network lies inside it too, SEG707 reports the overlap. A
// wider range reaches every environment whose range it overlaps.
func (c *checker) rangeEnvs(p netip.Prefix, own string) []Attribution {
	inside := func(cidr netip.Prefix) bool { return netplan.Contains(cidr, p) }
	if slices.ContainsFunc(c.envs[own].CIDRs, inside) {
		return nil
	}
	var containing, overlapping []Attribution
	for _, e := range c.f.Environments {
		if e.Name == own {
			continue
		}
		for _, cidr := range e.CIDRs {
			if cidr.Overlaps(p) {
				at := Attribution{Environment: e.Name, Method: ByNetwork, Evidence: fmt.Sprintf("%s overlaps %s's range %s", p, e.Name, cidr)}
				if inside(cidr) {
					at.Evidence = fmt.Sprintf("%s lies in %s's range %s", p, e.Name, cidr)
					containing = append(containing, at)
				} else {
					overlapping = append(overlapping, at)
				}
				break
			}
		}
	}
	if len(containing) > 0 {
		return containing
	}
	return overlapping
}

func (c *checker) tier(env string) segment.Tier { return c.envs[env].Tier }

// declared returns the declared flows between two environments that the
// tier policy allows, whichever their direction.
func (c *checker) declared(a, b string) []segment.Flow {
	var out []segment.Flow
	for _, fl := range c.f.Flows {
		if (fl.From == a && fl.To == b) || (fl.From == b && fl.To == a) {
			if segment.FlowAllowed(c.tier(fl.From), c.tier(fl.To), fl.Purpose) {
				out = append(out, fl)
			}
		}
	}
	return out
}

// networkFlow is what a flow that travels over the network opens: the side
// that starts connections and the TCP ports it reaches.
type networkFlow struct {
	initiator, responder string
	from, to             int
}

func asNetworkFlow(fl segment.Flow) (networkFlow, bool) {
	switch fl.Purpose {
	case segment.Telemetry: // the environment sends to the shared collector
		return networkFlow{fl.From, fl.To, 4317, 4318}, true
	case segment.Deploy: // shared CI reaches the environment's API
		return networkFlow{fl.From, fl.To, 443, 443}, true
	case segment.ArtifactPull: // the environment pulls from the shared registry
		return networkFlow{fl.To, fl.From, 443, 443}, true
	}
	return networkFlow{}, false
}

// ephemeralFrom is where the ephemeral ports of replies begin.
const ephemeralFrom = 1024

// trafficAllowed reports whether a declared flow admits exactly what a rule
// of env's admits towards (egress) or from (ingress) peer.
func (c *checker) trafficAllowed(env, peer string, fr FirewallRule) bool {
	initiator, responder := env, peer
	if fr.Direction == Ingress {
		initiator, responder = peer, env
	}
	for _, fl := range c.declared(env, peer) {
		nf, ok := asNetworkFlow(fl)
		if !ok || fr.Protocol != "tcp" {
			continue
		}
		if nf.initiator == initiator && nf.responder == responder && fr.FromPort >= nf.from && fr.ToPort <= nf.to {
			return true
		}
		// Replies travel from the responder back to the initiator's
		// ephemeral ports.
		if fr.Stateless && nf.initiator == responder && nf.responder == initiator && fr.FromPort >= ephemeralFrom && fr.ToPort <= 65535 {
			return true
		}
	}
	return false
}

func (c *checker) firewallRules() {
	for _, fr := range c.f.FirewallRules {
		if fr.Deny {
			continue
		}
		own, ok := c.ownerEnv(fr.Resource, fr.Owner)
		if !ok {
			continue // SEG708 reports the resource
		}
		var others []Attribution
		for _, p := range fr.Peers {
			for _, o := range c.rangeEnvs(p, own.Environment) {
				if !c.shadowed(fr, c.envs[o.Environment]) {
					others = append(others, o)
				}
			}
		}
		for _, g := range fr.PeerGroups {
			if o, ok := c.refEnv(g); ok && o.Environment != own.Environment {
				others = append(others, o)
			}
		}
		for _, o := range others {
			if c.trafficAllowed(own.Environment, o.Environment, fr) {
				continue
			}
			way := "from"
			if fr.Direction == Egress {
				way = "to"
			}
			c.report("SEG701", fr.Resource, fr.Path, o, "%s allows %s %s %s's %s (%s); %s", own.Environment, fr.Direction, way, o.Environment, portText(fr), o.Evidence, flowHint(c.declared(own.Environment, o.Environment)))
		}
	}
}

// shadowed reports whether ordered deny rules of the same owner, direction
// and traffic, evaluated before the allow, deny every range of env.
func (c *checker) shadowed(allow FirewallRule, env Environment) bool {
	if allow.Priority == 0 || len(env.CIDRs) == 0 {
		return false
	}
	for _, cidr := range env.CIDRs {
		covered := false
		for _, d := range c.denies[refKey(allow.Owner)] {
			if d.Direction != allow.Direction || d.Priority >= allow.Priority {
				continue
			}
			if d.Protocol != "all" && d.Protocol != allow.Protocol || d.FromPort > allow.FromPort || d.ToPort < allow.ToPort {
				continue
			}
			if slices.ContainsFunc(d.Peers, func(p netip.Prefix) bool { return netplan.Contains(p, cidr) }) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// refKey identifies what a reference points at: the address, or the value.
func refKey(r Ref) string {
	if r.Address != "" {
		return r.Address
	}
	return "=" + r.Value
}

func portText(fr FirewallRule) string {
	switch {
	case fr.Protocol == "all":
		return "all traffic"
	case fr.FromPort == 0 && fr.ToPort == 65535:
		return fr.Protocol + " on every port"
	case fr.FromPort == fr.ToPort:
		return fr.Protocol + " port " + strconv.Itoa(fr.FromPort)
	}
	return fmt.Sprintf("%s ports %d-%d", fr.Protocol, fr.FromPort, fr.ToPort)
}

func flowHint(flows []segment.Flow) string {
	if len(flows) == 0 {
		return "no declared flow joins them"
	}
	var s []string
	for _, fl := range flows {
		s = append(s, fmt.Sprintf("%s -> %s (%s)", fl.From, fl.To, fl.Purpose))
	}
	return "the declared flows " + strings.Join(s, ", ") + " do not admit this"
}
