// Package report writes the findings of an audit (internal/audit) as text
// for a CI log, as JSON for scripts, or as SARIF 2.1.0 for GitHub code
// scanning, and turns them into the command's exit code.
//
// Every format is deterministic: the same Result gives the same bytes,
// whatever the order of its findings, and nothing depends on the time or
// the machine.
//
// # JSON format
//
// The JSON document is a stable interface: fields are only ever added, and
// a change to the meaning or the type of one bumps format_version. Its
// fields, in order:
//
//	format_version   string   "1"
//	tool             object   {name: "terraform-provider-segmented", version}
//	input            string   the plan file as given; "-" for standard input
//	summary          object   {errors, warnings, findings, resources, attributed}: integers;
//	                          resources counts the resources audited, attributed those with an environment
//	environments     array    sorted by name; each:
//	  name           string
//	  tier           string   development|staging|production|shared, "" when nothing says it
//	  cidrs          array    of strings, sorted
//	  accounts       array    of strings, sorted: AWS accounts, Google Cloud projects, Azure subscriptions
//	  source         string   how the environment was declared: an attribution method (below)
//	findings         array    in the order of audit.SortFindings (environment, other
//	                          environment, errors first, rule, address, path, message); each:
//	  rule_id        string   SEG701..SEG709
//	  severity       string   error|warning
//	  cwe            integer  e.g. 923
//	  cwe_name       string
//	  title          string   the rule's title
//	  address        string   the resource's address, module path and instance keys included
//	  path           string   the attribute at fault, "" for the whole resource
//	  cloud          string   aws|gcp|azure, kubernetes for an in-cluster object, "" when unknown
//	  environment    object   the resource's environment: {name, method, evidence}; name is ""
//	                          and method "unattributed" when none was found
//	  other          object   the environment on the other side, {name, method, evidence};
//	                          null for findings that have none (SEG708, SEG709)
//	  message        string
//	  remediation    string   the fix
//	  location       object   {file, line, end_line}: the resource's block, file relative to
//	                          the source directory and slash-separated; null when no source
//	                          directory was given or the block was not found
//
// The attribution methods are those of audit.Method: segmented_ml_environment,
// generated-module-tag, environments-file, tag, name-pattern, address-pattern,
// network, provider, reference, account and unattributed.
//
// Arrays are never null: an empty list is [].
//
// # SARIF format
//
// One run whose driver is terraform-provider-segmented, with the metadata
// of every audit rule (help, CWE tag, security-severity) and at most
// Options.MaxResults results, most severe first; a cut is recorded in the
// run's invocation as a notification and in the run's properties. Each
// result has stable partialFingerprints that do not depend on line numbers,
// a physical location (the resource's block when the locator finds it,
// otherwise the plan file) and a logical location naming the resource's
// address.
package report
