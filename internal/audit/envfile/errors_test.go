package envfile

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// badCase is one invalid file and the one diagnostic it must produce.
type badCase struct {
	name    string
	src     string
	summary string
	detail  string // a part of the detail
	line    int
	column  int
	warning bool // the diagnostic is a warning, and the file still loads
	others  int  // how many other diagnostics the file produces
}

const prodEnv = `environment "prod" {
  tier = "production"
}
`

var badCases = []badCase{
	{
		name:    "syntax error",
		src:     "environment \"prod\" {\n  tier = \"production\"\n",
		summary: "Unclosed configuration block", line: 1, column: 20,
	},
	{
		name:    "unknown attribute",
		src:     "environment \"prod\" {\n  tier   = \"production\"\n  region = \"us-east-1\"\n}\n",
		summary: "Unsupported argument", detail: `"region"`, line: 3, column: 3,
	},
	{
		name:    "unknown block",
		src:     prodEnv + "network \"main\" {\n}\n",
		summary: "Unsupported block type", detail: `"network"`, line: 4, column: 1,
	},
	{
		name:    "missing tier",
		src:     "environment \"prod\" {\n  cidrs = [\"10.3.0.0/16\"]\n}\n",
		summary: "Missing required argument", detail: `"tier"`, line: 1, column: 20,
	},
	{
		name:    "invalid tier",
		src:     "environment \"prod\" {\n  tier = \"prod\"\n}\n",
		summary: "Invalid tier", detail: `"prod" is not one of "development", "staging", "production" or "shared"`, line: 2, column: 10,
	},
	{
		name:    "tier from a variable",
		src:     "environment \"prod\" {\n  tier = var.tier\n}\n",
		summary: "Variables not allowed", line: 2, column: 10,
	},
	{
		name:    "tier not a string",
		src:     "environment \"prod\" {\n  tier = 3\n}\n",
		summary: "Incorrect value type", detail: "tier must be a string in quotes, such as \"production\"; this is a number", line: 2, column: 10,
	},
	{
		name:    "invalid environment name",
		src:     "environment \"Prod_1\" {\n  tier = \"production\"\n}\n",
		summary: "Invalid environment name", detail: "must start with a lower-case letter", line: 1, column: 13,
	},
	{
		name:    "environment name too long",
		src:     "environment \"production-eu-west\" {\n  tier = \"production\"\n}\n",
		summary: "Invalid environment name", detail: "is 18 characters long; segmented_ml_environment's name is at most 16", line: 1, column: 13,
	},
	{
		name:    "duplicate environment",
		src:     prodEnv + "environment \"prod\" {\n  tier = \"staging\"\n}\n",
		summary: "Duplicate environment", detail: `"prod" is already declared at e.hcl:1,13`, line: 4, column: 13,
	},
	{
		name:    "body of a duplicate environment still checked",
		src:     prodEnv + "environment \"prod\" {\n  tier = \"staging\"\n  cidrz = []\n}\n",
		summary: "Unsupported argument", detail: `"cidrz"`, line: 6, column: 3, others: 1,
	},
	{
		name:    "cidrs not a list",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = \"10.3.0.0/16\"\n}\n",
		summary: "Incorrect value type", detail: `cidrs must be a list of strings, such as ["10.3.0.0/16"]; this is a string`, line: 3, column: 11,
	},
	{
		name:    "invalid CIDR",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = [\"10.3.0/16\"]\n}\n",
		summary: "Invalid CIDR", detail: `"10.3.0/16" is not a CIDR prefix: write an address, a slash and a prefix length, such as "10.3.0.0/16"`, line: 3, column: 12,
	},
	{
		name:    "CIDR not canonical",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = [\"10.3.0.1/16\"]\n}\n",
		summary: "CIDR not in canonical form", detail: `"10.3.0.1/16" has host bits set, so it names the same range as "10.3.0.0/16"; write "10.3.0.0/16"`, line: 3, column: 12,
	},
	{
		name:    "CIDR of every address",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = [\"10.3.0.0/16\", \"0.0.0.0/0\"]\n}\n",
		summary: "CIDR covers every address", line: 3, column: 27,
	},
	{
		name:    "public CIDR",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = [\"203.0.113.0/24\"]\n}\n",
		summary: "CIDR not a private range", detail: `"203.0.113.0/24" is not inside a private range`, line: 3, column: 12, warning: true,
	},
	{
		name: "CIDRs of two environments overlap",
		src: "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = [\"10.3.0.0/16\"]\n}\n" +
			"environment \"dev\" {\n  tier  = \"development\"\n  cidrs = [\"10.1.0.0/16\", \"10.3.128.0/24\"]\n}\n",
		summary: "CIDRs of two environments overlap",
		detail:  `10.3.128.0/24 of environment "dev" overlaps 10.3.0.0/16 of environment "prod" (e.hcl:3,12)`, line: 7, column: 27,
	},
	{
		name:    "overlapping CIDRs in one environment",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  cidrs = [\"10.3.1.0/24\",\n    \"10.3.0.0/16\"]\n}\n",
		summary: "Overlapping CIDRs in one environment", detail: "10.3.0.0/16 overlaps 10.3.1.0/24, listed at e.hcl:3,12", line: 4, column: 5,
	},
	{
		name: "account in two environments",
		src: "environment \"prod\" {\n  tier     = \"production\"\n  accounts = [\"333333333333\"]\n}\n" +
			"environment \"dev\" {\n  tier     = \"development\"\n  accounts = [\"333333333333\"]\n}\n",
		summary: "The account is in two environments", detail: `"333333333333" is already in environment "prod" (e.hcl:3,15)`, line: 7, column: 15,
	},
	{
		name:    "duplicate account",
		src:     "environment \"prod\" {\n  tier     = \"production\"\n  accounts = [\"333333333333\", \"333333333333\"]\n}\n",
		summary: "Duplicate account", line: 3, column: 31,
	},
	{
		name:    "account of 11 digits",
		src:     "environment \"prod\" {\n  tier     = \"production\"\n  accounts = [\"33333333333\"]\n}\n",
		summary: "Invalid account", detail: "an AWS account ID has exactly 12 digits, leading zeros included", line: 3, column: 15,
	},
	{
		name:    "account as a number",
		src:     "environment \"prod\" {\n  tier     = \"production\"\n  accounts = [12345678901]\n}\n",
		summary: "Incorrect value type", detail: "must be a string in quotes", line: 3, column: 15,
	},
	{
		name:    "account of no known form",
		src:     "environment \"prod\" {\n  tier     = \"production\"\n  accounts = [\"Acme Prod\"]\n}\n",
		summary: "Invalid account", detail: "a Google Cloud project ID (6 to 30 lower-case letters", line: 3, column: 15,
	},
	{
		name:    "principal with a wildcard",
		src:     "environment \"prod\" {\n  tier       = \"production\"\n  principals = [\"arn:aws:iam::333333333333:role/*\"]\n}\n",
		summary: "Invalid principal", detail: "holds no wildcard", line: 3, column: 17,
	},
	{
		name: "principal in two environments",
		src: "environment \"prod\" {\n  tier       = \"production\"\n  principals = [\"ci@acme.iam.gserviceaccount.com\"]\n}\n" +
			"environment \"dev\" {\n  tier       = \"development\"\n  principals = [\"ci@acme.iam.gserviceaccount.com\"]\n}\n",
		summary: "The principal is in two environments", detail: "(e.hcl:3,17). A principal belongs to one environment only", line: 7, column: 17,
	},
	{
		name:    "empty name pattern",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  names = [\"prod-*\", \"\"]\n}\n",
		summary: "Invalid name pattern", detail: `it is empty; write a pattern with "*" for any run of characters, such as "prod-*"`, line: 3, column: 22,
	},
	{
		name:    "pattern matching everything",
		src:     "environment \"prod\" {\n  tier      = \"production\"\n  addresses = [\"**\"]\n}\n",
		summary: "Invalid address pattern", detail: `it matches everything, so this environment would claim every resource; name what its resources have in common, such as "module.prod.*"`, line: 3, column: 16,
	},
	{
		name:    "space in an address pattern",
		src:     "environment \"prod\" {\n  tier      = \"production\"\n  addresses = [\"module. prod\"]\n}\n",
		summary: "Invalid address pattern", detail: `' ' cannot occur in a resource address outside a quoted instance key`, line: 3, column: 16,
	},
	{
		name:    "unclosed instance key",
		src:     "environment \"prod\" {\n  tier      = \"production\"\n  addresses = [\"module.prod[\\\"eu]\"]\n}\n",
		summary: "Invalid address pattern", detail: "quotes are not closed", line: 3, column: 16,
	},
	{
		name:    "name pattern with trailing space",
		src:     "environment \"prod\" {\n  tier  = \"production\"\n  names = [\"prod-* \"]\n}\n",
		summary: "Invalid name pattern", detail: "white space", line: 3, column: 12,
	},
	{
		name: "equivalent patterns in two environments",
		src: "environment \"prod\" {\n  tier  = \"production\"\n  names = [\"prod-*\"]\n}\n" +
			"environment \"dev\" {\n  tier  = \"development\"\n  names = [\"prod-**\"]\n}\n",
		summary: "The same name pattern in two environments", detail: `"prod-**" of environment "dev" matches exactly what "prod-*" of environment "prod" (e.hcl:3,12)`, line: 7, column: 12,
	},
	{
		name:    "duplicate pattern",
		src:     "environment \"prod\" {\n  tier      = \"production\"\n  addresses = [\"module.prod\", \"module.prod\"]\n}\n",
		summary: "Duplicate address pattern", line: 3, column: 31,
	},
	{
		name:    "empty tag_keys",
		src:     "tag_keys = []\n" + prodEnv,
		summary: "No tag keys", detail: `or remove tag_keys to use the default ["segmented:environment", "environment", "env", "Environment"]`, line: 1, column: 12,
	},
	{
		name:    "duplicate tag key",
		src:     "tag_keys = [\"env\", \"Environment\",\n  \"env\"]\n",
		summary: "Duplicate tag key", detail: `"env" is already listed at e.hcl:1,13`, line: 2, column: 3,
	},
	{
		name:    "blank tag key",
		src:     "tag_keys = [\" \"]\n",
		summary: "Invalid tag key", detail: "white space", line: 1, column: 13,
	},
	{
		name:    "flow to an undeclared environment",
		src:     prodEnv + "flow {\n  from    = \"prod\"\n  to      = \"logs\"\n  purpose = \"telemetry\"\n}\n",
		summary: "Unknown environment", detail: `The flow's to names "logs", which no environment block declares. Declare it, or name one of "prod".`, line: 6, column: 13,
	},
	{
		name:    "unknown purpose",
		src:     prodEnv + "environment \"shared\" {\n  tier = \"shared\"\n}\nflow {\n  from    = \"prod\"\n  to      = \"shared\"\n  purpose = \"logs\"\n}\n",
		summary: "Unknown flow purpose", detail: `"logs" is not one of "artifact-pull", "deploy", "model-promotion" or "telemetry"`, line: 10, column: 13,
	},
	{
		name:    "flow when no environment is declared",
		src:     "flow {\n  from    = \"prod\"\n  to      = \"shared\"\n  purpose = \"telemetry\"\n}\n",
		summary: "Unknown environment", detail: `The flow's from names "prod", which no environment block declares. Declare it in an environment block.`, line: 2, column: 13, others: 1,
	},
	{
		name:    "flow missing its purpose",
		src:     prodEnv + "environment \"shared\" {\n  tier = \"shared\"\n}\nflow {\n  from = \"prod\"\n  to   = \"shared\"\n}\n",
		summary: "Missing required argument", detail: `"purpose"`, line: 7, column: 6,
	},
	{
		name:    "flow from production downwards",
		src:     prodEnv + "environment \"dev\" {\n  tier = \"development\"\n}\nflow {\n  from    = \"prod\"\n  to      = \"dev\"\n  purpose = \"model-promotion\"\n}\n",
		summary: "Flow not allowed by the tier policy",
		detail:  `nothing may flow from production to development: production data must not move to a lower tier (the tier policy of SEG602). Remove the flow.`, line: 7, column: 1,
	},
	{
		name:    "flow with a purpose the tiers do not allow",
		src:     prodEnv + "environment \"shared\" {\n  tier = \"shared\"\n}\nflow {\n  from    = \"shared\"\n  to      = \"prod\"\n  purpose = \"telemetry\"\n}\n",
		summary: "Flow not allowed by the tier policy",
		detail:  `from shared to production only "artifact-pull" or "deploy" may flow (the tier policy of SEG602). Remove the flow, or give it a purpose the tiers allow.`, line: 7, column: 1,
	},
	{
		name:    "flow between two environments of one tier",
		src:     prodEnv + "environment \"prod-eu\" {\n  tier = \"production\"\n}\nflow {\n  from    = \"prod\"\n  to      = \"prod-eu\"\n  purpose = \"model-promotion\"\n}\n",
		summary: "Flow not allowed by the tier policy", detail: "two environments of the same tier (production) are isolated", line: 7, column: 1,
	},
	{
		name:    "flow to itself",
		src:     prodEnv + "flow {\n  from    = \"prod\"\n  to      = \"prod\"\n  purpose = \"telemetry\"\n}\n",
		summary: "Flow within one environment", line: 4, column: 1,
	},
	{
		name: "duplicate flow",
		src: prodEnv + "environment \"shared\" {\n  tier = \"shared\"\n}\n" +
			"flow {\n  from    = \"prod\"\n  to      = \"shared\"\n  purpose = \"telemetry\"\n}\n" +
			"flow {\n  from    = \"prod\"\n  to      = \"shared\"\n  purpose = \"telemetry\"\n}\n",
		summary: "Duplicate flow", detail: "already declared at e.hcl:7,1", line: 12, column: 1,
	},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			f, diags := Parse([]byte(tc.src), "e.hcl")
			if len(diags) != 1+tc.others {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(diags), 1+tc.others, Format(diags))
			}
			i := slices.IndexFunc(diags, func(d *hcl.Diagnostic) bool { return d.Summary == tc.summary })
			if i < 0 {
				t.Fatalf("no diagnostic %q:\n%s", tc.summary, Format(diags))
			}
			d := diags[i]
			if !strings.Contains(d.Detail, tc.detail) {
				t.Errorf("detail = %q, want it to contain %q", d.Detail, tc.detail)
			}
			if d.Subject == nil {
				t.Fatal("no subject")
			}
			if got := d.Subject.Start; got.Line != tc.line || got.Column != tc.column {
				t.Errorf("at %d,%d, want %d,%d", got.Line, got.Column, tc.line, tc.column)
			}
			if want := map[bool]hcl.DiagnosticSeverity{false: hcl.DiagError, true: hcl.DiagWarning}[tc.warning]; d.Severity != want {
				t.Errorf("severity = %v, want %v", d.Severity, want)
			}
			if (f != nil) != tc.warning {
				t.Errorf("File = %v, want one only for a warning", f)
			}
		})
	}
}
