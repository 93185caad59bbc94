package eval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
)

// Member is a Google Cloud IAM member, parsed.
type Member struct {
	// Text is the member as written.
	Text string
	// Kind is the member's type, spelt as Google documents it:
	// serviceAccount, user, group, domain, allUsers, allAuthenticatedUsers,
	// projectOwner, projectEditor, projectViewer, principal, principalSet.
	Kind string
	// Value is what follows the type: the e-mail, the domain, the project,
	// the workload identity "PROJECT.svc.id.goog[ns/ksa]", or the whole URI
	// of a principal or principalSet. Empty for allUsers and
	// allAuthenticatedUsers.
	Value string
	// Project is the project the member names, "" if it names none (users,
	// groups, domains, workforce pools, organisation-level service agents).
	// It is a project ID, lower-cased, except where Google's format carries
	// the project number instead; ProjectNumber then says so. A number is
	// all digits and an ID starts with a letter, so the two never collide.
	Project       string
	ProjectNumber bool
	// GoogleManaged marks service agents and other accounts Google creates
	// and holds (service-NUMBER@gcp-sa-*.iam.gserviceaccount.com,
	// NUMBER@cloudservices.gserviceaccount.com, ...).
	GoogleManaged bool
	// WorkloadIdentity marks a Kubernetes service account member
	// "serviceAccount:PROJECT.svc.id.goog[ns/ksa]".
	WorkloadIdentity bool
	// Public marks members that mean anyone: allUsers,
	// allAuthenticatedUsers, principalSet://goog/public:all.
	Public bool
	// Deleted marks a "deleted:" member; the rest describes what was
	// deleted.
	Deleted bool
}

// GCPMember returns the principal an IAM member names: Text as written,
// Account the project from ParseGCPMember ("" if none; a project number,
// all digits, for the Google-managed accounts whose address carries one).
func GCPMember(member string) (audit.Principal, error) {
	m, err := ParseGCPMember(member)
	if err != nil {
		return audit.Principal{}, err
	}
	return audit.Principal{Text: m.Text, Account: m.Project}, nil
}

// memberKinds are the member types with a value, by lower-case name.
var memberKinds = map[string]string{
	"serviceaccount": "serviceAccount",
	"user":           "user",
	"group":          "group",
	"domain":         "domain",
	"projectowner":   "projectOwner",
	"projecteditor":  "projectEditor",
	"projectviewer":  "projectViewer",
}

// ParseGCPMember parses an IAM member. Types are matched without regard to
// case. The project comes from where the format puts it:
//
//   - serviceAccount:NAME@PROJECT.iam.gserviceaccount.com: PROJECT, and
//     DOMAIN:PROJECT for NAME@PROJECT.DOMAIN.iam.gserviceaccount.com (a
//     domain-scoped project);
//   - PROJECT@appspot.gserviceaccount.com (App Engine default): PROJECT;
//   - Google-managed accounts carry a number: service-NUMBER@... and
//     project-NUMBER@... (service agents, on gcp-sa-* and other Google
//     domains), pNUMBER-xxxx@gcp-sa-cloud-sql..., NUMBER-compute@
//     developer.gserviceaccount.com, NUMBER@cloudservices... and
//     NUMBER@cloudbuild.gserviceaccount.com: NUMBER, ProjectNumber set;
//     organisation- and folder-level agents (service-org-NUMBER@...) and
//     other Google-managed addresses: none;
//   - serviceAccount:PROJECT.svc.id.goog[ns/ksa]: PROJECT;
//   - projectOwner:PROJECT, projectEditor:, projectViewer:: PROJECT;
//   - principal:// and principalSet:// URIs whose path starts with
//     projects/P (workload identity pools, resource manager sets): P,
//     usually a number; workforce pools and goog/ URIs name none.
//
// user:, group:, domain:, allUsers and allAuthenticatedUsers name no
// project. "deleted:" members are parsed as what they were, "?uid=..."
// dropped.
func ParseGCPMember(member string) (Member, error) {
	m := Member{Text: member}
	s := strings.TrimSpace(member)
	if s == "" {
		return Member{}, errors.New("gcp member: empty")
	}
	if rest, ok := cutPrefixFold(s, "deleted:"); ok {
		m.Deleted = true
		s = rest
		if i := strings.Index(s, "?uid="); i >= 0 {
			s = s[:i]
		}
	}
	fail := func(format string, a ...any) (Member, error) {
		return Member{}, fmt.Errorf("gcp member %q: %s", member, fmt.Sprintf(format, a...))
	}
	if m.Deleted && (!strings.Contains(s, ":") || strings.Contains(s, "://")) {
		return fail("only service accounts, users and groups are deleted")
	}
	switch {
	case strings.EqualFold(s, "allUsers"):
		m.Kind, m.Public = "allUsers", true
		return m, nil
	case strings.EqualFold(s, "allAuthenticatedUsers"):
		m.Kind, m.Public = "allAuthenticatedUsers", true
		return m, nil
	}
	if rest, ok := cutPrefixFold(s, "principalSet://"); ok {
		m.Kind, m.Value = "principalSet", s
		return principalURI(m, rest, fail)
	}
	if rest, ok := cutPrefixFold(s, "principal://"); ok {
		m.Kind, m.Value = "principal", s
		return principalURI(m, rest, fail)
	}
	typ, value, ok := strings.Cut(s, ":")
	if !ok {
		return fail("want TYPE:VALUE, allUsers or allAuthenticatedUsers")
	}
	kind, known := memberKinds[strings.ToLower(typ)]
	if !known {
		return fail("unknown member type %q", typ)
	}
	if m.Deleted && kind != "serviceAccount" && kind != "user" && kind != "group" {
		return fail("only service accounts, users and groups are deleted, not %s", kind)
	}
	m.Kind, m.Value = kind, value
	if value == "" {
		return fail("empty %s", kind)
	}
	switch kind {
	case "user", "group":
		if _, _, err := splitEmail(value); err != nil {
			return fail("%v", err)
		}
	case "domain":
		if strings.ContainsAny(value, "@/ ") {
			return fail("not a domain: %q", value)
		}
	case "projectOwner", "projectEditor", "projectViewer":
		m.Project = strings.ToLower(value)
		m.ProjectNumber = allDigits(value)
	case "serviceAccount":
		if strings.HasSuffix(value, "]") {
			return workloadIdentity(m, fail)
		}
		local, domain, err := splitEmail(value)
		if err != nil {
			return fail("%v", err)
		}
		serviceAccountProject(&m, local, domain)
	}
	return m, nil
}

// serviceAccountProject fills the project of a service account's e-mail.
func serviceAccountProject(m *Member, local, domain string) {
	domain = strings.ToLower(domain)
	local = strings.ToLower(local)
	number := func(n string) {
		m.GoogleManaged = true
		if allDigits(n) {
			m.Project, m.ProjectNumber = n, true
		}
	}
	if n, ok := managedLocal(local); ok {
		number(n)
		return
	}
	switch domain {
	case "appspot.gserviceaccount.com":
		m.Project = local
		return
	case "developer.gserviceaccount.com":
		n, _, _ := strings.Cut(local, "-")
		number(n)
		return
	case "cloudservices.gserviceaccount.com", "cloudbuild.gserviceaccount.com":
		number(local)
		return
	}
	if p, ok := strings.CutSuffix(domain, ".iam.gserviceaccount.com"); ok {
		switch {
		case strings.HasPrefix(p, "gcp-sa-"):
			m.GoogleManaged = true // a service agent whose local part is unusual
		case strings.Contains(p, "."): // NAME@PROJECT.DOMAIN.iam...
			proj, dom, _ := strings.Cut(p, ".")
			m.Project = dom + ":" + proj
		default:
			m.Project = p
		}
		return
	}
	if strings.HasSuffix(domain, ".gserviceaccount.com") {
		number(local) // Google-managed; a project only if the local part is its number
	}
}

// managedLocal recognises the local parts of Google-managed accounts that
// carry a project number: service-NUMBER, project-NUMBER and
// pNUMBER-suffix (Cloud SQL). Organisation and folder agents
// (service-org-NUMBER, service-folder-NUMBER) are managed but name no
// project.
func managedLocal(local string) (number string, managed bool) {
	for _, pre := range []string{"service-org-", "service-folder-"} {
		if strings.HasPrefix(local, pre) {
			return "", true
		}
	}
	for _, pre := range []string{"service-", "project-"} {
		if n, ok := strings.CutPrefix(local, pre); ok && allDigits(n) {
			return n, true
		}
	}
	if n, ok := strings.CutPrefix(local, "p"); ok {
		if d, _, ok := strings.Cut(n, "-"); ok && allDigits(d) {
			return d, true
		}
	}
	return "", false
}

// workloadIdentity parses "PROJECT.svc.id.goog[namespace/ksa]".
func workloadIdentity(m Member, fail func(string, ...any) (Member, error)) (Member, error) {
	pool, rest, ok := strings.Cut(m.Value, "[")
	ksa := strings.TrimSuffix(rest, "]")
	ns, name, okKSA := strings.Cut(ksa, "/")
	project, okPool := strings.CutSuffix(strings.ToLower(pool), ".svc.id.goog")
	if !ok || !okPool || project == "" || !okKSA || ns == "" || name == "" || strings.ContainsAny(ksa, "[]") {
		return fail("want PROJECT.svc.id.goog[NAMESPACE/KSA] for a workload identity")
	}
	m.WorkloadIdentity, m.Project = true, project
	return m, nil
}

// principalURI reads the project of a principal:// or principalSet:// URI
// from a path that starts with projects/P.
func principalURI(m Member, rest string, fail func(string, ...any) (Member, error)) (Member, error) {
	host, path, _ := strings.Cut(rest, "/")
	if host == "" || path == "" {
		return fail("want %s://HOST/PATH", m.Kind)
	}
	if strings.EqualFold(host, "goog") && strings.EqualFold(path, "public:all") {
		m.Public = true
		return m, nil
	}
	seg := strings.Split(path, "/")
	if len(seg) >= 2 && seg[0] == "projects" {
		if seg[1] == "" {
			return fail("empty project")
		}
		m.Project = strings.ToLower(seg[1])
		m.ProjectNumber = allDigits(seg[1])
	}
	return m, nil
}

func splitEmail(s string) (local, domain string, err error) {
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i == len(s)-1 || strings.ContainsAny(s, " /") {
		return "", "", fmt.Errorf("not an e-mail address: %q", s)
	}
	return s[:i], s[i+1:], nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
