package rules

import (
	"strings"
	"testing"
)

const (
	githubIssuer    = "token.actions.githubusercontent.com"
	gitlabIssuer    = "gitlab.com"
	terraformIssuer = "app.terraform.io"
	otherIssuer     = "ci.example.com" // an issuer whose format is not known
)

// TestCISubjectFormats is SEG202 over every subject format it reads: for
// each, subjects that are pinned to "prod" and near misses that are not, with
// what the message must say (the fault and the right form for the issuer).
func TestCISubjectFormats(t *testing.T) {
	cases := []struct {
		name, issuer, subject string
		msg                   []string // empty: pinned, no finding
	}{
		// GitHub Actions.
		{"github environment", githubIssuer, "repo:acme/ml:environment:prod", nil},
		{"github branch named after the environment", githubIssuer, "repo:acme/ml:ref:refs/heads/prod", nil},
		{"github tag named after the environment", githubIssuer, "repo:acme/ml:ref:refs/tags/prod", nil},
		{"github custom template with job_workflow_ref", githubIssuer, "repo:acme/ml:environment:prod:job_workflow_ref:acme/deploy/.github/workflows/d.yml@refs/heads/main", nil},
		{"github repository_id template", githubIssuer, "repository_id:123456:environment:prod", nil},
		{"github enterprise path", githubIssuer + "/acme", "repo:acme/ml:environment:prod", nil},
		{"github enterprise server", "github.acme.internal/_services/token", "repo:acme/ml:environment:prod", nil},
		{"github environment decides over ref", githubIssuer, "repo:acme/ml:environment:prod:ref:refs/heads/main", nil},
		{"github repository only (issue 8)", githubIssuer, "repo:acme/prod",
			[]string{`does not name the environment "prod"`, "no environment or ref claim", `"repo:acme/prod:environment:prod"`}},
		{"github other branch", githubIssuer, "repo:acme/ml:ref:refs/heads/main",
			[]string{`does not name the environment "prod"`, `branch "main"`, `"repo:acme/ml:environment:prod"`}},
		{"github branch path ending in the name", githubIssuer, "repo:acme/ml:ref:refs/heads/feature/prod", []string{`branch "feature/prod"`}},
		{"github other tag", githubIssuer, "repo:acme/ml:ref:refs/tags/v1.2.0", []string{`tag "v1.2.0"`}},
		{"github pull request ref", githubIssuer, "repo:acme/ml:ref:refs/pull/7/merge", []string{"neither a branch"}},
		{"github pull request", githubIssuer, "repo:acme/ml:pull_request", []string{"every pull request", `"repo:acme/ml:environment:prod"`}},
		{"github other environment", githubIssuer, "repo:acme/ml:environment:production", []string{`GitHub environment "production"`}},
		{"github environment of another case", githubIssuer, "repo:acme/ml:environment:Prod", []string{`GitHub environment "Prod"`}},
		{"github environment but another ref", githubIssuer, "repo:acme/ml:environment:staging:ref:refs/heads/prod", []string{`"staging"`}},
		{"github no repository", githubIssuer, "repository_owner:acme:environment:prod", []string{"names no repository", `"repo:OWNER/REPO:environment:prod"`}},
		{"github repository without owner", githubIssuer, "repo:ml:environment:prod", []string{"not of the form OWNER/REPO"}},
		{"github old positional form", githubIssuer, "project:acme/ml:prod", []string{"is not a subject SEG202 can read", `the claim "prod" has no value`, "For GitHub Actions"}},
		{"github issuer, gitlab subject", githubIssuer, "project_path:acme/ml:ref_type:branch:ref:prod",
			[]string{"is a GitLab CI/CD subject", "presents GitHub Actions subjects only", `"repo:OWNER/REPO:environment:prod"`}},
		{"github issuer, terraform subject", githubIssuer, "organization:acme:project:ml:workspace:prod:run_phase:apply",
			[]string{"is a HCP Terraform subject", "ci_oidc_provider"}},
		{"github issuer, generic subject", githubIssuer, "pipeline:acme/ml:environment:prod", []string{"names no repository"}},

		// GitLab CI/CD.
		{"gitlab branch", gitlabIssuer, "project_path:acme/ml:ref_type:branch:ref:prod", nil},
		{"gitlab nested groups, tag", gitlabIssuer, "project_path:acme/ml/serving:ref_type:tag:ref:prod", nil},
		{"gitlab custom template with environment", gitlabIssuer, "project_path:acme/ml:ref_type:branch:ref:main:environment:prod", nil},
		{"gitlab self-managed", "gitlab.acme.internal", "project_path:acme/ml:ref_type:branch:ref:prod", nil},
		{"gitlab other branch", gitlabIssuer, "project_path:acme/ml:ref_type:branch:ref:main",
			[]string{`does not name the environment "prod"`, `branch "main"`, `"project_path:acme/ml:ref_type:branch:ref:prod"`}},
		{"gitlab project only", gitlabIssuer, "project_path:acme/prod", []string{"every pipeline of acme/prod"}},
		{"gitlab project without group", gitlabIssuer, "project_path:prod:ref_type:branch:ref:prod", []string{"GROUP/PROJECT"}},
		{"gitlab bad ref_type", gitlabIssuer, "project_path:acme/ml:ref_type:merge_request:ref:prod", []string{`ref_type "merge_request"`}},
		{"gitlab other environment", gitlabIssuer, "project_path:acme/ml:ref_type:branch:ref:prod:environment:staging", []string{`GitLab environment "staging"`}},
		{"gitlab issuer, github subject", gitlabIssuer, "repo:acme/ml:environment:prod",
			[]string{"is a GitHub Actions subject", "presents GitLab CI/CD subjects only", `"project_path:GROUP/PROJECT:ref_type:branch:ref:prod"`}},

		// HCP Terraform / Terraform Enterprise.
		{"terraform apply", terraformIssuer, "organization:acme:project:ml:workspace:prod:run_phase:apply", nil},
		{"terraform default project", terraformIssuer, "organization:acme:project:Default Project:workspace:prod:run_phase:apply", nil},
		{"terraform EU", "app.eu.terraform.io", "organization:acme:project:ml:workspace:prod:run_phase:apply", nil},
		{"terraform enterprise", "tfe.acme.internal", "organization:acme:project:ml:workspace:prod:run_phase:apply", nil},
		{"terraform plan phase", terraformIssuer, "organization:acme:project:ml:workspace:prod:run_phase:plan",
			[]string{"speculative plans", `"organization:acme:project:ml:workspace:prod:run_phase:apply"`}},
		{"terraform other workspace", terraformIssuer, "organization:acme:project:ml:workspace:ml-prod:run_phase:apply",
			[]string{`does not name the environment "prod"`, `workspace "ml-prod"`, `"organization:acme:project:ml:workspace:prod:run_phase:apply"`}},
		{"terraform no run phase", terraformIssuer, "organization:acme:project:ml:workspace:prod", []string{"in that order"}},
		{"terraform bad run phase", terraformIssuer, "organization:acme:project:ml:workspace:prod:run_phase:destroy", []string{`run_phase "destroy"`}},
		{"terraform issuer, generic subject", terraformIssuer, "pipeline:acme/ml:environment:prod", []string{"in that order", "For HCP Terraform"}},

		// The generic form, for any other issuer.
		{"generic", otherIssuer, "pipeline:acme/ml:environment:prod", nil},
		{"generic with no issuer", "", "pipeline:acme/ml:environment:prod", nil},
		{"generic environment only", otherIssuer, "environment:prod", []string{"no pipeline"}},
		{"generic other environment", otherIssuer, "pipeline:acme/ml:environment:staging", []string{`environment claim is "staging"`, `"pipeline:acme/ml:environment:prod"`}},
		{"generic name only as the pipeline", otherIssuer, "pipeline:acme/prod", []string{"no environment claim"}},
		{"generic positional", otherIssuer, "pipeline:acme/ml:prod", []string{`"prod" has no value`}},
		{"generic repeated claim", otherIssuer, "pipeline:a:environment:dev:environment:prod", []string{"appears twice"}},
		{"generic empty value", otherIssuer, "pipeline::environment:prod", []string{`"pipeline" has no value`}},
		{"generic bad key", otherIssuer, "pipe line:acme:environment:prod", []string{"not a claim name"}},
		{"generic trailing colon", otherIssuer, "pipeline:acme:environment:prod:", []string{"not a claim name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := cleanProduction()
			env.CISubject = tc.subject
			env.CIOIDCProvider = tc.issuer
			got := checkCISubject(env)
			if len(tc.msg) == 0 {
				if len(got) != 0 {
					t.Fatalf("%q from %q is pinned to prod, got %s", tc.subject, tc.issuer, describe(got))
				}
				return
			}
			if len(got) != 1 || got[0].Path.String() != "ci_subject" {
				t.Fatalf("want one finding on ci_subject, got %s", describe(got))
			}
			for _, m := range tc.msg {
				if !strings.Contains(got[0].Message, m) {
					t.Errorf("message %q does not contain %q", got[0].Message, m)
				}
			}
			if !strings.Contains(got[0].Message, `"`+tc.subject+`"`) {
				t.Errorf("message %q does not quote the subject", got[0].Message)
			}
		})
	}
}

// TestSubjectFormatsExamples checks the rules reference's examples of
// SEG202 against the rule.
func TestSubjectFormatsExamples(t *testing.T) {
	for _, f := range SubjectFormats() {
		issuer := f.Issuer
		if issuer == "" {
			issuer = otherIssuer
		}
		pinned, notPinned := 0, 0
		for _, ex := range f.Examples {
			env := cleanProduction()
			if env.Name != ExampleEnvironment {
				t.Fatalf("the examples are for %q, the clean production environment is %q", ExampleEnvironment, env.Name)
			}
			env.CISubject, env.CIOIDCProvider = ex.Subject, issuer
			got := checkCISubject(env)
			if ex.Pinned != (len(got) == 0) {
				t.Errorf("%s: %q documented as pinned = %v, but the rule says %s", f.CI, ex.Subject, ex.Pinned, describe(got))
			}
			if ex.Pinned {
				pinned++
			} else {
				notPinned++
			}
		}
		if pinned == 0 || notPinned == 0 {
			t.Errorf("%s: want pinned examples and near misses, got %d and %d", f.CI, pinned, notPinned)
		}
		env := cleanProduction()
		env.CISubject, env.CIOIDCProvider = strings.ReplaceAll(f.Template, "NAME", env.Name), issuer
		if strings.Contains(f.Template, "OWNER/REPO") || strings.Contains(f.Template, "GROUP/PROJECT") {
			env.CISubject = strings.NewReplacer("OWNER/REPO", "acme/ml", "GROUP/PROJECT", "acme/ml").Replace(env.CISubject)
		}
		if got := checkCISubject(env); len(got) != 0 {
			t.Errorf("%s: the template %q, filled in as %q, is not pinned: %s", f.CI, f.Template, env.CISubject, describe(got))
		}
	}
}

// TestPinnedFormIsPinned: the subject a message proposes is pinned itself,
// for each issuer whose format is known.
func TestPinnedFormIsPinned(t *testing.T) {
	for _, tc := range []struct{ issuer, subject string }{
		{githubIssuer, "repo:acme/ml:ref:refs/heads/main"},
		{gitlabIssuer, "project_path:acme/ml:ref_type:branch:ref:main"},
		{terraformIssuer, "organization:acme:project:ml:workspace:dev:run_phase:plan"},
		{otherIssuer, "pipeline:acme/ml:environment:dev"},
	} {
		env := cleanProduction()
		env.CISubject, env.CIOIDCProvider = tc.subject, tc.issuer
		got := checkCISubject(env)
		if len(got) != 1 {
			t.Fatalf("%q: want one finding, got %s", tc.subject, describe(got))
		}
		_, rest, _ := strings.Cut(got[0].Message, `: "`)
		proposed, _, _ := strings.Cut(rest, `"`)
		env.CISubject = proposed
		if again := checkCISubject(env); len(again) != 0 {
			t.Errorf("%q: the proposed %q is not pinned: %s", tc.subject, proposed, describe(again))
		}
	}
}

func FuzzParseSubject(f *testing.F) {
	for _, s := range []string{
		"repo:acme/ml:environment:prod", "repo:acme/ml:pull_request", "repo:acme/prod",
		"project_path:acme/ml:ref_type:branch:ref:prod", "organization:acme:project:ml:workspace:prod:run_phase:apply",
		"pipeline:acme/ml:environment:prod", "", ":", "a::b", "pull_request:pull_request", "repo:*", "é:prod",
	} {
		f.Add(s, githubIssuer, "prod")
		f.Add(s, otherIssuer, "prod")
	}
	f.Fuzz(func(t *testing.T, subject, issuer, name string) {
		sub, err := parseSubject(subject)
		if err == nil {
			var parts []string
			for _, c := range sub.claims {
				if !validClaimKey(c.key) {
					t.Fatalf("claim key %q is not valid", c.key)
				}
				parts = append(parts, c.key)
				if !valuelessClaims[c.key] {
					if c.value == "" {
						t.Fatalf("claim %q has an empty value", c.key)
					}
					parts = append(parts, c.value)
				}
			}
			if joined := strings.Join(parts, ":"); joined != subject {
				t.Fatalf("claims %v join to %q, not %q", sub.claims, joined, subject)
			}
		}
		problem := subjectProblem(subject, issuer, name)
		if problem == "" {
			// Pinned: the subject parsed, and some claim's value names the
			// environment (exactly, or as the branch or tag of a ref).
			if err != nil {
				t.Fatalf("%q is pinned but does not parse: %v", subject, err)
			}
			named := false
			for _, c := range sub.claims {
				v := strings.TrimPrefix(strings.TrimPrefix(c.value, "refs/heads/"), "refs/tags/")
				named = named || v == name && c.key != "repo" && c.key != "project_path" && c.key != "organization"
			}
			if !named {
				t.Fatalf("%q from %q is pinned to %q, but no environment-bearing claim names it", subject, issuer, name)
			}
		} else if !strings.Contains(problem, "ci_subject ") {
			t.Fatalf("problem %q does not name the attribute", problem)
		}
	})
}
