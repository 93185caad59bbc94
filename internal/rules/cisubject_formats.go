package rules

// SubjectExample is a CI subject and what SEG202 makes of it for an
// environment named "prod".
type SubjectExample struct {
	Subject string
	Pinned  bool
	Why     string
}

// SubjectFormat documents one CI subject format that SEG202 reads. The rules
// reference renders these, and a test checks every example against the rule,
// so the page cannot drift from the check.
type SubjectFormat struct {
	CI string
	// Issuer is the ci_oidc_provider that presents only this format, or ""
	// when no issuer fixes it. Other issuers of the format are described in
	// Issuers.
	Issuer   string
	Issuers  string
	Template string // the pinned form; NAME is the environment's name
	PinnedBy string // which claim pins it
	Examples []SubjectExample
}

// ExampleEnvironment is the environment name the SubjectFormats examples are
// written for.
const ExampleEnvironment = "prod"

// SubjectFormats returns the subject formats SEG202 reads, with examples.
func SubjectFormats() []SubjectFormat {
	return []SubjectFormat{
		{
			CI:       "GitHub Actions",
			Issuer:   "token.actions.githubusercontent.com",
			Issuers:  "`token.actions.githubusercontent.com` (the default, also with an enterprise's path) and GitHub Enterprise Server's `HOST/_services/token`",
			Template: "repo:OWNER/REPO:environment:NAME",
			PinnedBy: "the `environment` claim (a GitHub environment, with its protection rules), or else a `ref` that is the branch or tag named after the environment. " +
				"The subject must name one repository (`repo`, `repository` or `repository_id`); further claims of a custom subject template, such as `job_workflow_ref`, narrow it further and are accepted",
			Examples: []SubjectExample{
				{"repo:acme/ml:environment:prod", true, "the GitHub environment `prod` of one repository"},
				{"repo:acme/ml:ref:refs/heads/prod", true, "the branch `prod`"},
				{"repo:acme/ml:ref:refs/tags/prod", true, "the tag `prod`"},
				{"repo:acme/ml:environment:prod:job_workflow_ref:acme/ml/.github/workflows/deploy.yml@refs/heads/main", true, "a custom template: the environment, through one reusable workflow"},
				{"repo:acme/prod", false, "a repository-only template: every branch and pull request of `acme/prod` presents it"},
				{"repo:acme/ml:ref:refs/heads/main", false, "a branch that is not the environment's"},
				{"repo:acme/ml:pull_request", false, "every pull request presents it"},
				{"repository_owner:acme:environment:prod", false, "no repository: any repository of `acme` with an environment `prod`"},
			},
		},
		{
			CI:       "GitLab CI/CD",
			Issuer:   "gitlab.com",
			Issuers:  "`gitlab.com`; a self-managed instance's host is recognized by the subject's leading `project_path` claim",
			Template: "project_path:GROUP/PROJECT:ref_type:branch:ref:NAME",
			PinnedBy: "the `ref` (with `ref_type` `branch` or `tag`) named after the environment, or an `environment` claim that a custom subject template (`ci_id_token_sub_claim_components`) adds",
			Examples: []SubjectExample{
				{"project_path:acme/ml/serving:ref_type:branch:ref:prod", true, "the branch `prod` of one project"},
				{"project_path:acme/ml:ref_type:tag:ref:prod", true, "the tag `prod`"},
				{"project_path:acme/ml:ref_type:branch:ref:main:environment:prod", true, "a custom template with the GitLab environment `prod`"},
				{"project_path:acme/ml:ref_type:branch:ref:main", false, "a branch that is not the environment's"},
				{"project_path:acme/prod", false, "every pipeline of `acme/prod` presents it"},
			},
		},
		{
			CI:       "HCP Terraform / Terraform Enterprise",
			Issuer:   "app.terraform.io",
			Issuers:  "`app.terraform.io` and `app.eu.terraform.io`; a Terraform Enterprise host is recognized by the subject's leading `organization` and its `workspace` claim",
			Template: "organization:ORG:project:PROJECT:workspace:NAME:run_phase:apply",
			PinnedBy: "the `workspace` named after the environment, in the `apply` phase: the plan phase also runs speculative plans of pull requests",
			Examples: []SubjectExample{
				{"organization:acme:project:ml:workspace:prod:run_phase:apply", true, "the workspace `prod`, applying"},
				{"organization:acme:project:ml:workspace:prod:run_phase:plan", false, "every plan of the workspace, speculative ones included"},
				{"organization:acme:project:ml:workspace:staging:run_phase:apply", false, "another environment's workspace"},
			},
		},
		{
			CI:       "Any other CI (generic form)",
			Issuers:  "any other issuer, when the subject is not of one of the formats above",
			Template: "KEY:VALUE:environment:NAME",
			PinnedBy: "an `environment` claim named after the environment, beside at least one claim that names the pipeline",
			Examples: []SubjectExample{
				{"pipeline:acme/ml:environment:prod", true, "one pipeline's environment `prod`"},
				{"environment:prod", false, "no pipeline: any pipeline with that environment"},
				{"pipeline:acme/ml:prod", false, "not KEY:VALUE pairs: `prod` is a claim without a value"},
			},
		},
	}
}
