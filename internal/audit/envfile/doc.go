// Package envfile reads the environments file of the plan auditor
// (`audit --environments FILE`): an HCL file that says which environment
// each hand-written resource belongs to, and which flows between
// environments are intended. testdata/environments.hcl is a complete
// example.
//
// # Format
//
// The file is HCL native syntax, or HCL's JSON syntax when its name ends in
// ".json". Values are literals: there are no variables or functions. Every
// attribute and block not listed here is an error.
//
//	tag_keys = ["segmented:environment", "environment", "env", "Environment"]
//
//	environment "prod" {
//	  tier       = "production"
//	  cidrs      = ["10.3.0.0/16"]
//	  accounts   = ["333333333333"]
//	  principals = ["arn:aws:iam::333333333333:role/acme-prod-deployer"]
//	  names      = ["prod-*", "*-prod"]
//	  addresses  = ["module.prod", "aws_*.prod_*"]
//	}
//
//	flow {
//	  from    = "staging"
//	  to      = "prod"
//	  purpose = "model-promotion"
//	}
//
// tag_keys (optional) are the keys of the tags (AWS, Azure) and labels
// (Google Cloud) whose value names an environment, tried in order. The
// default is the list above. It must not be empty, and a key is listed once.
// Kubernetes objects' labels are read too: segmented.io/environment first,
// then these keys.
//
// An environment block's label is the environment's name, which follows the
// rule of segmented_ml_environment's name: a lower-case letter, then
// lower-case letters, digits and single dashes, at most 16 characters. Names
// are unique. Its attributes:
//
//   - tier (required): development, staging, production or shared.
//   - cidrs: the environment's address ranges, in canonical form
//     ("10.3.0.0/16", not "10.3.0.1/16"), narrower than /0. An IPv4 range
//     outside the private ranges (RFC 1918, RFC 6598) draws a warning. No
//     range may overlap another, of this environment or of another one.
//   - accounts: its AWS account IDs (12 digits, in quotes), Google Cloud
//     project IDs and Azure subscription IDs (GUIDs, kept in lower case). An
//     account belongs to one environment only.
//   - principals: identifiers of its identities that a policy may name: role
//     ARNs, service account e-mails, managed identity IDs. No wildcards; a
//     principal belongs to one environment only.
//   - names: patterns for the names of its resources (the name argument, or
//     the Name tag; a Kubernetes object's metadata name). A namespaced
//     Kubernetes object whose namespace is not in the plan is attributed by
//     the pattern that matches its namespace's name.
//   - addresses: patterns for the addresses of its resources in the plan.
//
// Lists are optional; an omitted or empty one declares nothing.
//
// A flow block declares an intended flow of content, as in
// segmented_ml_topology: from and to name environments of the file, purpose
// is model-promotion, telemetry, deploy or artifact-pull. The tier policy
// must allow the flow (see segment.FlowAllowed and DESIGN.md), its two ends
// are different environments, and each flow is declared once.
//
// # Patterns
//
// A pattern is a glob: '*' matches any run of characters, the empty run
// included, and '.', '[' and '"' among them; every other character matches
// itself. There is no escape, and no other wildcard. A pattern matches the
// whole text, case-sensitively. A pattern that is only stars, an empty one
// and one with control characters are errors; so are a name pattern with
// leading or trailing white space, and an address pattern with a character
// that no address holds outside a quoted instance key (only letters, digits
// and "_-.[]" do).
//
// A name pattern is matched against the resource's name. An address pattern
// is matched, as -target does, against the address and against what
// contains it: the address itself, the address without its instance key,
// and the path of every module call on the way, with and without that
// call's instance key. So "module.prod" matches every resource in module
// prod, at any depth and in every instance of it; "module.prod[\"eu\"]"
// only those of that instance; "aws_s3_bucket.models" every instance of
// the resource. In module.a["x"].module.b.aws_vpc.main[0], the pattern
// "module.a.module.b" does not match (the key of a is in the way);
// "module.a*.module.b" does.
//
// # Which pattern wins
//
// When patterns of several environments match, the most specific match
// decides, and a tie is reported, not guessed:
//
//  1. A pattern that matches a longer part of the address beats one that
//     matches a shorter part: a pattern for the resource beats one for the
//     module that holds it, and an inner module beats an outer one. Names
//     have one part, the name.
//  2. Among matches of the same part, a pattern beats another when it
//     matches strictly fewer strings ("prod-api-*" beats "prod-*"; "prod-*"
//     and "*-dev" are not comparable).
//  3. The matches no other beats are the contenders (Matches.Contenders).
//     When they all name one environment, it wins, and the first declared
//     of them is the pattern reported; when they name two or more, the
//     match is ambiguous: MatchName and MatchAddress report no match, and
//     Matches.Ambiguous tells the caller to report the contenders.
//
// Two patterns of different environments that match exactly the same
// strings are an error in the file, since nothing they match could be
// attributed.
//
// # Diagnostics
//
// Parse and Load report every problem they find, not only the first, each
// on the range it concerns, with what is wrong and how to fix it. Format
// renders them as FILE:LINE,COL: summary: detail.
package envfile
