package modgen

import (
	"fmt"
	"strings"
)

// AzureProviderConstraint is the hashicorp/azurerm version constraint the
// Azure module declares: every 5.x release from 5.2.
const AzureProviderConstraint = ">= 5.2, < 6.0"

// AzureProvenVersions are the hashicorp/azurerm releases whose real schemas
// (trimmed copies in internal/schemaprovider/testdata) the tests validate
// and plan the module against.
var AzureProvenVersions = []string{"5.2.0"}

// azureVersionsReadme is the README section that says which versions the
// module accepts and which are proven, and how.
func azureVersionsReadme() string {
	proven := make([]string, len(AzureProvenVersions))
	for i, v := range AzureProvenVersions {
		proven[i] = "`" + v + "`"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Provider versions\n\n")
	fmt.Fprintf(&b, "The module requires Terraform `>= 1.9` (or OpenTofu), whose variable validations may read\n")
	fmt.Fprintf(&b, "other variables (the human principals' keys are checked against the blueprint), and\n")
	fmt.Fprintf(&b, "hashicorp/azurerm `%s`: it uses the 5.x names (`rbac_authorization_enabled`,\n", AzureProviderConstraint)
	fmt.Fprintf(&b, "`node_provisioning_profile`, `bootstrap_profile`, ...). `make test` validates it against the\n")
	fmt.Fprintf(&b, "real schema of azurerm %s with no diagnostic, and plans it with the values of real\n", strings.Join(proven, " and "))
	fmt.Fprintf(&b, "blueprints against the same schema. Where the machine has a build of the real azurerm 5.2.0\n")
	fmt.Fprintf(&b, "provider (`SEGMENTED_AZURERM_PROVIDER`, or the cache of official provider builds), it also plans\n")
	fmt.Fprintf(&b, "those blueprints with it, against a fake cloud that serves only its metadata and a token: the provider's own\n")
	fmt.Fprintf(&b, "validation of every value and its plan-time checks pass, and the plan calls no Azure API. No\n")
	fmt.Fprintf(&b, "test applies it to Azure. Other releases inside the range are accepted but not tested.\n\n")
	return b.String()
}
