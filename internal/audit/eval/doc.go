// Package eval reads the identifiers, policies and firewall values of
// hand-written Terraform for the plan auditor (package audit): the plan
// reader hands it strings from a plan, and it says which account, project
// or subscription they name and which principals and ranges they admit.
//
// What it parses:
//
//   - AWS IAM policy documents (trust, key and bucket policies and any
//     other), with ParseAWSPolicy, into statements kept in document order;
//     Policy.Grantees lists who the Allow statements name, including the
//     accounts and principals that narrowing conditions name (see GrantKey
//     for which condition keys count and why);
//   - account IDs in AWS identifiers and ARNs of every partition
//     (AWSAccount);
//   - Google Cloud IAM members, down to the project they name
//     (ParseGCPMember, GCPMember), project numbers included for
//     Google-managed accounts;
//   - the subscription of an Azure scope or resource ID
//     (AzureSubscription);
//   - firewall protocols, port ranges and peers as the three clouds write
//     them (Protocol, PortRange, Peer).
//
// What it deliberately does not do:
//
//   - evaluate policies: actions, resources and most conditions are parsed
//     and returned, not judged; whether a grant of "s3:GetObject" or of
//     "*" to an account crosses environments is for the caller to decide;
//   - resolve names: service tags, prefix lists, groups, pools and
//     project numbers are returned as written, for the caller to map to
//     environments;
//   - talk to any cloud or read Terraform: inputs are strings and the
//     package imports no Terraform packages.
//
// Every function returns an error, never panics, on malformed input, and
// output is deterministic: lists are in document order, never in the
// order of a Go map.
package eval
