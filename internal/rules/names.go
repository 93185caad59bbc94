package rules

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// checkNameCollision is SEG609: two environments whose generated names share
// the prefix "{organization}-{environment}" would share every generated name:
// the globally unique buckets, the cluster, the roles and the key aliases.
// Environment and organization names are lower-case words joined by single
// dashes, and every generated name is the prefix, a dash and a fixed
// purpose (or a purpose, the separator "--" and a name), so environments
// with distinct prefixes never share a generated name
// (internal/blueprint's TestGeneratedNamesDisjoint). An equal prefix with an
// equal name is SEG605's.
func checkNameCollision(t segment.Topology) []Finding {
	first := map[string]int{}
	var out []Finding
	for i, m := range t.Environments {
		if !m.Known("name") || !m.Known("organization") || m.Name == "" || m.Organization == "" {
			continue
		}
		prefix := segment.Environment{Organization: m.Organization, Name: m.Name}.Prefix()
		j, seen := first[prefix]
		if !seen {
			first[prefix] = i
			continue
		}
		o := t.Environments[j]
		if o.Name == m.Name {
			continue // SEG605
		}
		out = append(out, finding(envPath(i, "name"),
			"environment %q of organization %q and environment %q of organization %q (environments[%d]) both name their resources %q: their buckets %s-data and %s-models, cluster %s and roles would be the same resources.",
			m.Name, m.Organization, o.Name, o.Organization, j, prefix+"-*", prefix, prefix, prefix))
	}
	return out
}
