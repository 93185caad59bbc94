// Package source finds, in a Terraform configuration's .tf files, the block
// that declares each resource of a plan, so that a report can point at the
// file and lines a reviewer should change.
//
// Load reads the root module's directory and every local module it calls
// (a module block whose source is "./..." or "../..."), recursively;
// registry and remote modules are not followed, so resources inside them
// are not found. Find then maps a plan address such as
// module.envs["dev"].module.net[0].aws_vpc.this to its block, ignoring
// instance keys: every instance of a resource is declared by one block.
//
// The package imports no Terraform packages, only hcl/v2.
package source
