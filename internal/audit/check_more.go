package audit

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// networked reports whether a declared, allowed flow between two
// environments travels over the network, and so needs a path between them.
func (c *checker) networked(a, b string) bool {
	return slices.ContainsFunc(c.declared(a, b), func(fl segment.Flow) bool {
		_, ok := asNetworkFlow(fl)
		return ok
	})
}

func (c *checker) links() {
	hubs := map[string][]Link{}
	for _, l := range c.f.Links {
		switch l.Kind {
		case Peering:
			a, okA := c.linkEnd(l.Resource, l.From)
			b, okB := c.refEnv(l.To)
			if okA && okB && a.Environment != b.Environment && !c.networked(a.Environment, b.Environment) {
				c.report("SEG702", l.Resource, l.Path, b, "a peering joins %s's network to %s's (%s); %s", a.Environment, b.Environment, b.Evidence, flowHint(c.declared(a.Environment, b.Environment)))
			}
		case Route:
			a, ok := c.linkEnd(l.Resource, l.From)
			if !ok {
				continue
			}
			for _, o := range c.rangeEnvs(l.Destination, a.Environment) {
				if !c.networked(a.Environment, o.Environment) {
					c.report("SEG702", l.Resource, l.Path, o, "%s routes towards %s's range (%s); %s", a.Environment, o.Environment, o.Evidence, flowHint(c.declared(a.Environment, o.Environment)))
				}
			}
		case Attachment:
			hub := l.To.Address
			if hub == "" {
				hub = l.To.Value
			}
			if hub != "" {
				hubs[hub] = append(hubs[hub], l)
			}
		}
	}
	for _, hub := range sortedKeys(hubs) {
		// One finding per pair of environments on the hub, on the later
		// of the two environments' first attachments.
		first := map[string]Link{}
		var envs []string
		for _, l := range hubs[hub] {
			if at, ok := c.linkEnd(l.Resource, l.From); ok {
				if _, seen := first[at.Environment]; !seen {
					first[at.Environment] = l
					envs = append(envs, at.Environment)
				}
			}
		}
		slices.Sort(envs)
		for i, a := range envs {
			for _, b := range envs[i+1:] {
				if c.networked(a, b) {
					continue
				}
				la, lb := first[a], first[b]
				other, _ := c.linkEnd(la.Resource, la.From)
				other.Evidence = c.f.Resources[la.Resource].Address + " attaches it: " + other.Evidence
				c.report("SEG702", lb.Resource, lb.Path, other, "%s's network and %s's are attached to the same hub %s; %s", b, a, hub, flowHint(c.declared(a, b)))
			}
		}
	}
}

// linkEnd is the environment of a link's own side: its network, or else
// the link resource's own attribution.
func (c *checker) linkEnd(res int, ref Ref) (Attribution, bool) {
	if at, ok := c.refEnv(ref); ok {
		return at, true
	}
	if at := c.f.Resources[res].Attribution; at.Known() {
		return at, true
	}
	return Attribution{}, false
}

// grantRules maps a kind of grant to the rule it breaks.
var grantRules = map[GrantKind]string{Trust: "SEG703", Access: "SEG703", KeyUse: "SEG704", Storage: "SEG706"}

func (c *checker) grants() {
	for _, g := range c.f.Grants {
		own, ok := c.ownerEnv(g.Resource, g.Target)
		if !ok {
			continue
		}
		id := grantRules[g.Kind]
		narrowed := slices.ContainsFunc(g.Principals, func(p Principal) bool { return p.Condition != "" })
		for _, p := range g.Principals {
			if p.Text == "*" && !narrowed {
				c.report(id, g.Resource, g.Path, Attribution{Method: Unattributed, Evidence: `Principal "*"`},
					"%s's %s grants every principal, every other environment's included", own.Environment, g.Path)
				continue
			}
			o, ok := c.principalEnv(p)
			if !ok || o.Environment == own.Environment || c.grantAllowed(g.Kind, own.Environment, o.Environment) {
				continue
			}
			c.report(id, g.Resource, g.Path, o, "%s's %s names %s, which is %s's (%s); %s", own.Environment, g.Path, principalText(p), o.Environment, o.Evidence, flowHint(c.declared(own.Environment, o.Environment)))
		}
	}
}

func principalText(p Principal) string {
	switch {
	case p.Condition != "" && p.Text != "":
		return fmt.Sprintf("%s (condition %s)", p.Text, p.Condition)
	case p.Text != "":
		return p.Text
	}
	return p.Ref
}

// principalEnv is the environment a principal belongs to: the resource it
// is, the environment that declares its identifier, or the one that owns
// the account it names.
func (c *checker) principalEnv(p Principal) (Attribution, bool) {
	if p.Ref != "" {
		if at, ok := c.refEnv(Ref{Address: p.Ref}); ok {
			return at, true
		}
	}
	for _, e := range c.f.Environments {
		if p.Text != "" && slices.Contains(e.Principals, p.Text) {
			return Attribution{Environment: e.Name, Method: e.Source, Evidence: p.Text + " is one of " + e.Name + "'s principals"}, true
		}
	}
	if p.Account != "" {
		for _, e := range c.f.Environments {
			if slices.ContainsFunc(e.Accounts, func(a string) bool { return strings.EqualFold(a, p.Account) }) {
				return Attribution{Environment: e.Name, Method: ByAccount, Evidence: fmt.Sprintf("account %s is %s's", p.Account, e.Name)}, true
			}
		}
	}
	return Attribution{}, false
}

// grantAllowed reports whether a declared flow implies that own grants
// other's principals this kind of access: the holder of content grants the
// receiving side (model-promotion, artifact-pull, telemetry's sink), and a
// deployed environment trusts shared's deployer.
func (c *checker) grantAllowed(kind GrantKind, own, other string) bool {
	for _, fl := range c.declared(own, other) {
		switch kind {
		case Storage, KeyUse:
			if (fl.Purpose == segment.ModelPromotion || fl.Purpose == segment.ArtifactPull) && fl.From == own ||
				fl.Purpose == segment.Telemetry && fl.To == own {
				return true
			}
		case Trust, Access:
			if fl.Purpose == segment.Deploy && fl.To == own {
				return true
			}
		}
	}
	return false
}

func (c *checker) sharedKeys() {
	users := map[string][]KeyUser{}
	for _, u := range c.f.KeyUsers {
		key := u.Key.Address
		if key == "" {
			key = u.Key.Value
		}
		if key != "" {
			users[key] = append(users[key], u)
		}
	}
	for _, key := range sortedKeys(users) {
		keyEnv, keyKnown := c.refEnv(Ref{Address: key})
		envs := map[string]Attribution{}
		if keyKnown {
			envs[keyEnv.Environment] = keyEnv
		}
		for _, u := range users[key] {
			if at := c.f.Resources[u.Resource].Attribution; at.Known() {
				if _, ok := envs[at.Environment]; !ok {
					envs[at.Environment] = Attribution{Environment: at.Environment, Method: at.Method, Evidence: c.f.Resources[u.Resource].Address + " uses it: " + at.Evidence}
				}
			}
		}
		if len(envs) < 2 {
			continue
		}
		// The key belongs to its own environment, or, when nothing says
		// which, to the first of its users' environments by name; every
		// user of another environment is a finding.
		owner := keyEnv
		if !keyKnown {
			owner = envs[sortedKeys(envs)[0]]
		}
		for _, u := range users[key] {
			at := c.f.Resources[u.Resource].Attribution
			if at.Known() && at.Environment != owner.Environment {
				c.report("SEG705", u.Resource, u.Path, owner, "%s encrypts with %s, which is %s's (%s)", at.Environment, key, owner.Environment, owner.Evidence)
			}
		}
	}
}

func (c *checker) overlaps() {
	var named []netplan.Named
	var owners []Network
	for _, n := range c.f.Networks {
		if !c.f.Resources[n.Resource].Attribution.Known() {
			continue
		}
		for _, p := range n.CIDRs {
			named = append(named, netplan.Named{Name: strconv.Itoa(len(owners)), Prefix: p})
			owners = append(owners, n)
		}
	}
	for _, o := range netplan.Overlaps(named) {
		i, _ := strconv.Atoi(o.A.Name)
		j, _ := strconv.Atoi(o.B.Name)
		a, b := c.f.Resources[owners[i].Resource], c.f.Resources[owners[j].Resource]
		if a.Attribution.Environment == b.Attribution.Environment {
			continue
		}
		if a.Address > b.Address {
			a, b, j = b, a, i
			o.A, o.B = o.B, o.A
		}
		other := Attribution{Environment: a.Attribution.Environment, Method: a.Attribution.Method, Evidence: a.Address + ": " + a.Attribution.Evidence}
		c.report("SEG707", owners[j].Resource, owners[j].Path, other, "%s's %s overlaps %s's %s (%s)", b.Attribution.Environment, o.B.Prefix, a.Attribution.Environment, o.A.Prefix, a.Address)
	}
}

func (c *checker) unattributed() {
	for i, r := range c.f.Resources {
		if !r.Attribution.Known() {
			c.report("SEG708", i, "", Attribution{}, "nothing says which environment %s belongs to: no environment tag or label, no pattern of the environments file, no attributed network, and no account, project or subscription the environments know in its provider configuration", r.Address)
		}
	}
}

func (c *checker) blind() {
	for _, b := range c.f.Blind {
		c.report("SEG709", b.Resource, b.Path, Attribution{}, "%s is not known at plan time and no reference in the configuration says what it will be, so %s could not check it", b.Path, b.Rule)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
