package modgen

import (
	"fmt"
	"strings"
)

// AWSProviderConstraint is the hashicorp/aws version constraint the AWS
// module declares: every 5.x release from 5.100 and every 6.x release. The
// module uses no argument that the two majors spell differently, and the
// tests validate it against the real schema of each version in
// AWSProvenVersions.
const AWSProviderConstraint = ">= 5.100, < 7.0"

// AWSProvenVersions are the hashicorp/aws releases whose real schemas
// (trimmed copies in internal/schemaprovider/testdata) `make test` validates
// the module and examples/aws-complete against, oldest first.
var AWSProvenVersions = []string{"5.100.0", "6.47.1"}

// awsVersionsReadme is the README section that says which provider versions
// the module accepts and which are proven, and how.
func awsVersionsReadme() string {
	proven := make([]string, len(AWSProvenVersions))
	for i, v := range AWSProvenVersions {
		proven[i] = "`" + v + "`"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Provider versions\n\n")
	fmt.Fprintf(&b, "The module requires Terraform `>= 1.8` (or OpenTofu) and hashicorp/aws `%s`: the\n", AWSProviderConstraint)
	fmt.Fprintf(&b, "last 5.x releases and all of 6.x. It uses no argument that the two majors spell\n")
	fmt.Fprintf(&b, "differently. `make test` validates it, and `examples/aws-complete`, against the real\n")
	fmt.Fprintf(&b, "schemas of aws %s with no diagnostic; the end-to-end test\n", strings.Join(proven, " and "))
	fmt.Fprintf(&b, "(`make test-e2e`) applies and destroys it on moto with the real provider binary it finds.\n")
	fmt.Fprintf(&b, "Other releases inside the range are accepted but not tested.\n\n")
	return b.String()
}
