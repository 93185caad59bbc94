package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// SEG202 reads a CI subject as its issuer writes it: a list of claims,
// KEY:VALUE pairs joined by ":". A subject is pinned to an environment when
// it names exactly one pipeline identity (a repository, a project or a
// workspace) and its environment-bearing claim names the environment:
//
//   - environment (GitHub, GitLab, the generic form): the CI's own
//     deployment environment, which carries its protection rules (required
//     reviewers, protected branches), the strongest pin;
//   - workspace (HCP Terraform / TFE): workspaces are unique in an
//     organization and hold one environment's state;
//   - ref (GitHub, GitLab): a branch or tag whose name is the environment's,
//     the environment-branch pattern. It pins the subject only when the
//     subject has no environment claim, which would otherwise decide.
//
// A name anywhere else, such as in the repository's path, pins nothing: with
// a repository-only subject template every branch and pull request of that
// repository presents exactly that subject.
//
// Names are compared exactly: AWS compares subjects with StringEquals.

// subjectKind is the CI system whose subject format a subject follows.
type subjectKind int

const (
	genericSubject subjectKind = iota
	githubSubject
	gitlabSubject
	terraformSubject
)

func (k subjectKind) String() string {
	switch k {
	case githubSubject:
		return "GitHub Actions"
	case gitlabSubject:
		return "GitLab CI/CD"
	case terraformSubject:
		return "HCP Terraform"
	}
	return "generic"
}

// claim is one KEY:VALUE pair of a subject. GitHub's pull_request context
// is a claim without a value.
type claim struct{ key, value string }

// ciSubject is a parsed subject: its claims in order, and the format they
// follow.
type ciSubject struct {
	kind   subjectKind
	claims []claim
}

// get returns the value of the first claim with the key.
func (s ciSubject) get(key string) (string, bool) {
	for _, c := range s.claims {
		if c.key == key {
			return c.value, true
		}
	}
	return "", false
}

// valuelessClaims are the claims that stand alone in a subject.
var valuelessClaims = map[string]bool{"pull_request": true}

// githubOnlyClaims are claims that only GitHub puts in a subject; they tell
// a GitHub subject from a generic one when the issuer does not.
var githubOnlyClaims = map[string]bool{
	"repo": true, "repository": true, "repository_id": true, "repository_owner": true,
	"repository_owner_id": true, "job_workflow_ref": true, "workflow_ref": true, "pull_request": true,
}

// parseSubject splits a subject into claims and recognizes its format from
// the claims alone. Keys are letters, digits and underscores, starting with a
// letter; values are not empty. Joining the claims with ":" gives back s.
func parseSubject(s string) (ciSubject, error) {
	if s == "" {
		return ciSubject{}, errors.New("it is empty")
	}
	parts := strings.Split(s, ":")
	var out ciSubject
	seen := map[string]bool{}
	for i := 0; i < len(parts); i++ {
		key := parts[i]
		if !validClaimKey(key) {
			return ciSubject{}, fmt.Errorf("%q is not a claim name (letters, digits and underscores)", key)
		}
		if seen[key] {
			return ciSubject{}, fmt.Errorf("the claim %q appears twice, and no issuer writes a subject so", key)
		}
		seen[key] = true
		if valuelessClaims[key] {
			out.claims = append(out.claims, claim{key: key})
			continue
		}
		if i+1 >= len(parts) || parts[i+1] == "" {
			return ciSubject{}, fmt.Errorf("the claim %q has no value", key)
		}
		out.claims = append(out.claims, claim{key: key, value: parts[i+1]})
		i++
	}
	out.kind = detectKind(out.claims)
	return out, nil
}

func validClaimKey(k string) bool {
	for i, r := range k {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r != '_' && (r < '0' || r > '9')) {
			return false
		}
	}
	return k != ""
}

// detectKind recognizes a subject's format by its claims: GitLab's start with
// project_path, HCP Terraform's with organization and name a workspace, and
// GitHub's hold a claim only GitHub writes.
func detectKind(claims []claim) subjectKind {
	if len(claims) == 0 {
		return genericSubject
	}
	switch claims[0].key {
	case "project_path":
		return gitlabSubject
	case "organization":
		for _, c := range claims {
			if c.key == "workspace" {
				return terraformSubject
			}
		}
	}
	for _, c := range claims {
		if githubOnlyClaims[c.key] {
			return githubSubject
		}
	}
	return genericSubject
}

// issuerKind says which format an OIDC issuer presents, when the issuer is
// one whose format is known: GitHub.com (with or without an enterprise's
// path), GitHub Enterprise Server (HOST/_services/token), GitLab.com and
// HCP Terraform. Self-managed GitLab and Terraform Enterprise run on hosts of
// their own, which say nothing; their subjects are read by their claims.
func issuerKind(issuer string) (subjectKind, bool) {
	issuer = strings.ToLower(strings.TrimSuffix(issuer, "/"))
	host, _, _ := strings.Cut(issuer, "/")
	switch {
	case host == "token.actions.githubusercontent.com", strings.HasSuffix(issuer, "/_services/token"):
		return githubSubject, true
	case host == "gitlab.com":
		return gitlabSubject, true
	case host == "app.terraform.io", host == "app.eu.terraform.io":
		return terraformSubject, true
	}
	return genericSubject, false
}

// checkCISubject is SEG202.
func checkCISubject(env segment.Environment) []Finding {
	s := env.CISubject
	if s == "" {
		return nil
	}
	if strings.ContainsAny(s, "*?") {
		return []Finding{finding(Root("ci_subject"),
			"ci_subject %q contains a wildcard, so more than one CI identity could assume the deployer role. %s",
			s, pinnedForm(guessKind(s, env.CIOIDCProvider), ciSubject{}, env.Name))}
	}
	if problem := subjectProblem(s, env.CIOIDCProvider, env.Name); problem != "" {
		return []Finding{finding(Root("ci_subject"), "%s", problem)}
	}
	return nil
}

// guessKind is the format a subject is expected in: its issuer's, or else
// the one its claims suggest.
func guessKind(s, issuer string) subjectKind {
	if k, ok := issuerKind(issuer); ok {
		return k
	}
	if sub, err := parseSubject(s); err == nil {
		return sub.kind
	}
	return genericSubject
}

// subjectProblem says why a subject without wildcards is not pinned to the
// environment name, or returns "" when it is. A known issuer fixes the
// format: a subject of another format is one the issuer never presents.
func subjectProblem(s, issuer, name string) string {
	want, known := issuerKind(issuer)
	sub, err := parseSubject(s)
	if err != nil {
		return fmt.Sprintf("ci_subject %q is not a subject SEG202 can read: %s. %s", s, err, pinnedForm(guessKind(s, issuer), ciSubject{}, name))
	}
	if known && sub.kind != genericSubject && sub.kind != want {
		return fmt.Sprintf("ci_subject %q is a %s subject, but the issuer %s (ci_oidc_provider) presents %s subjects only, so no pipeline could ever deploy. "+
			"Set ci_oidc_provider to the issuer of %s, or pin a %s subject. %s", s, sub.kind, issuer, want, sub.kind, want, pinnedForm(want, ciSubject{}, name))
	}
	if known {
		sub.kind = want
	}
	var why string
	switch sub.kind {
	case githubSubject:
		why = githubProblem(sub, name)
	case gitlabSubject:
		why = gitlabProblem(sub, name)
	case terraformSubject:
		why = terraformProblem(sub, name)
	default:
		why = genericProblem(sub, name)
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("ci_subject %q %s. %s", s, why, pinnedForm(sub.kind, sub, name))
}

func githubProblem(sub ciSubject, name string) string {
	repo, hasRepo := sub.get("repo")
	if !hasRepo {
		repo, hasRepo = sub.get("repository")
	}
	_, hasID := sub.get("repository_id")
	switch {
	case hasRepo && !ownerSlashName(repo):
		return fmt.Sprintf("names the repository %q, which is not of the form OWNER/REPO", repo)
	case !hasRepo && !hasID:
		return "names no repository (repo:OWNER/REPO), so a workflow of any repository that matches the other claims presents it"
	}
	if _, pr := sub.get("pull_request"); pr {
		return "is what every pull request to the repository presents, from any branch: a pull-request subject is never pinned to an environment"
	}
	if env, ok := sub.get("environment"); ok {
		if env != name {
			return fmt.Sprintf("does not name the environment %q: it names the GitHub environment %q", name, env)
		}
		return ""
	}
	if ref, ok := sub.get("ref"); ok {
		branch, isBranch := strings.CutPrefix(ref, "refs/heads/")
		tag, isTag := strings.CutPrefix(ref, "refs/tags/")
		switch {
		case !isBranch && !isTag:
			return fmt.Sprintf("does not name the environment %q: its ref %q is neither a branch (refs/heads/...) nor a tag (refs/tags/...)", name, ref)
		case isBranch && branch != name:
			return fmt.Sprintf("does not name the environment %q: its ref is the branch %q, and every workflow run on that branch presents it", name, branch)
		case isTag && tag != name:
			return fmt.Sprintf("does not name the environment %q: its ref is the tag %q", name, tag)
		}
		return ""
	}
	return fmt.Sprintf("does not name the environment %q: it has no environment or ref claim, so with such a subject template every branch, tag and pull request of the repository presents exactly this subject", name)
}

func gitlabProblem(sub ciSubject, name string) string {
	project, _ := sub.get("project_path")
	if !strings.Contains(project, "/") || slices.Contains(strings.Split(project, "/"), "") {
		return fmt.Sprintf("names the project %q, which is not of the form GROUP/PROJECT", project)
	}
	if env, ok := sub.get("environment"); ok {
		if env != name {
			return fmt.Sprintf("does not name the environment %q: it names the GitLab environment %q", name, env)
		}
		return ""
	}
	ref, hasRef := sub.get("ref")
	refType, hasType := sub.get("ref_type")
	switch {
	case !hasRef:
		return fmt.Sprintf("does not name the environment %q: it has no ref or environment claim, so every pipeline of %s presents it", name, project)
	case !hasType:
		return "has a ref but no ref_type claim, and GitLab writes ref_type:branch or ref_type:tag before every ref"
	case refType != "branch" && refType != "tag":
		return fmt.Sprintf("has ref_type %q; GitLab writes branch or tag", refType)
	case ref != name:
		return fmt.Sprintf("does not name the environment %q: its ref is the %s %q", name, refType, ref)
	}
	return ""
}

func terraformProblem(sub ciSubject, name string) string {
	keys := make([]string, len(sub.claims))
	for i, c := range sub.claims {
		keys[i] = c.key
	}
	if strings.Join(keys, ":") != "organization:project:workspace:run_phase" {
		return "does not have the claims HCP Terraform writes, organization, project, workspace and run_phase, in that order"
	}
	workspace, _ := sub.get("workspace")
	phase, _ := sub.get("run_phase")
	switch {
	case phase != "plan" && phase != "apply":
		return fmt.Sprintf("has run_phase %q; HCP Terraform writes plan or apply", phase)
	case workspace != name:
		return fmt.Sprintf("does not name the environment %q: it names the workspace %q", name, workspace)
	case phase == "plan":
		return "trusts the plan phase, which every plan of the workspace runs, speculative plans of pull requests included; the deployer applies, so it trusts run_phase:apply"
	}
	return ""
}

func genericProblem(sub ciSubject, name string) string {
	env, ok := sub.get("environment")
	switch {
	case !ok:
		return fmt.Sprintf("does not name the environment %q: it has no environment claim", name)
	case env != name:
		return fmt.Sprintf("does not name the environment %q: its environment claim is %q", name, env)
	case len(sub.claims) < 2:
		return "names an environment but no pipeline, so any pipeline of the issuer with that environment presents it"
	}
	return ""
}

func ownerSlashName(s string) bool {
	owner, repo, ok := strings.Cut(s, "/")
	return ok && owner != "" && repo != "" && !strings.Contains(repo, "/")
}

// pinnedForm shows the pinned subject of a format for the environment name,
// keeping the identity claims sub already has.
func pinnedForm(kind subjectKind, sub ciSubject, name string) string {
	or := func(key, fallback string) string {
		if v, ok := sub.get(key); ok && v != "" {
			return v
		}
		return fallback
	}
	switch kind {
	case githubSubject:
		repo := or("repo", or("repository", "OWNER/REPO"))
		if !ownerSlashName(repo) {
			repo = "OWNER/REPO"
		}
		return fmt.Sprintf("For GitHub Actions, pin it to the GitHub environment %q: \"repo:%s:environment:%s\" (or to a branch named after it: \"repo:%s:ref:refs/heads/%s\").",
			name, repo, name, repo, name)
	case gitlabSubject:
		project := or("project_path", "GROUP/PROJECT")
		return fmt.Sprintf("For GitLab CI/CD, pin it to a protected branch named after the environment: \"project_path:%s:ref_type:branch:ref:%s\".", project, name)
	case terraformSubject:
		return fmt.Sprintf("For HCP Terraform, pin it to the environment's workspace and the apply phase: \"organization:%s:project:%s:workspace:%s:run_phase:apply\".",
			or("organization", "ORG"), or("project", "PROJECT"), name)
	}
	return fmt.Sprintf("Pin it as KEY:VALUE claims that name one pipeline and the environment, such as \"pipeline:acme/ml:environment:%s\".", name)
}
