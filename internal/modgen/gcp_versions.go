package modgen

import (
	"fmt"
	"strings"
)

// GCPProviderConstraint is the hashicorp/google version constraint the
// Google Cloud module declares: every 8.x release.
const GCPProviderConstraint = ">= 8.0, < 9.0"

// GCPProvenVersions are the hashicorp/google releases whose real schemas
// (trimmed copies in internal/schemaprovider/testdata) the tests validate
// and plan the module against.
var GCPProvenVersions = []string{"8.0.0"}

// gcpVersionsReadme is the README section that says which versions the
// module accepts and which are proven, and how.
func gcpVersionsReadme() string {
	proven := make([]string, len(GCPProvenVersions))
	for i, v := range GCPProvenVersions {
		proven[i] = "`" + v + "`"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Provider versions\n\n")
	fmt.Fprintf(&b, "The module requires Terraform `>= 1.9` (or OpenTofu), whose variable validations may read\n")
	fmt.Fprintf(&b, "other variables (the impersonators' keys are checked against the blueprint), and\n")
	fmt.Fprintf(&b, "hashicorp/google `%s`. `make test` validates it against the real schema of\n", GCPProviderConstraint)
	fmt.Fprintf(&b, "google %s with no diagnostic, and plans it with the values of real blueprints\n", strings.Join(proven, " and "))
	fmt.Fprintf(&b, "against the same schema. No test applies it to Google Cloud. Other releases inside\n")
	fmt.Fprintf(&b, "the range are accepted but not tested.\n\n")
	return b.String()
}
