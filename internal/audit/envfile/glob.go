package envfile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// globMatch reports whether glob matches all of s. A '*' in glob matches any
// run of bytes, the empty run included; every other byte matches itself.
// Matching is case-sensitive and anchored at both ends.
//
// The algorithm backtracks only to the last star seen, which is enough for
// star-only globs and keeps it within O(len(glob) * len(s)).
func globMatch(glob, s string) bool {
	g, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case g < len(glob) && glob[g] == '*':
			star, mark = g, i
			g++
		case g < len(glob) && glob[g] == s[i]:
			g++
			i++
		case star >= 0:
			mark++
			g, i = star+1, mark
		default:
			return false
		}
	}
	for g < len(glob) && glob[g] == '*' {
		g++
	}
	return g == len(glob)
}

// starToken stands for a star of the narrower glob when subsumes compares two
// globs. Validation rejects control characters in patterns, so no literal of
// a glob can equal it.
const starToken = "\x00"

// subsumes reports whether every string that narrow matches, wide matches
// too. For star-only globs this holds exactly when wide matches narrow
// itself, read as text in which each of narrow's stars is a symbol that only
// a star of wide can consume.
func subsumes(wide, narrow string) bool {
	return globMatch(wide, strings.ReplaceAll(narrow, "*", starToken))
}

// narrower reports whether a matches strictly fewer strings than b.
func narrower(a, b string) bool { return subsumes(b, a) && !subsumes(a, b) }

// equivalent reports whether a and b match exactly the same strings, as
// "prod-*" and "prod-**" do.
func equivalent(a, b string) bool { return subsumes(a, b) && subsumes(b, a) }

// literals counts the bytes of glob other than stars.
func literals(glob string) int { return len(glob) - strings.Count(glob, "*") }

// checkName returns why glob cannot be a name pattern, or "".
func checkName(glob, example string) string {
	if msg := checkCommon(glob, example); msg != "" {
		return msg
	}
	if strings.TrimSpace(glob) != glob {
		return "it starts or ends with white space, which no resource name does; remove it"
	}
	return ""
}

// checkCommon holds the checks both kinds of pattern share.
func checkCommon(glob, example string) string {
	switch {
	case glob == "":
		return `it is empty; write a pattern with "*" for any run of characters, such as ` + example
	case !utf8.ValidString(glob):
		return "it is not valid UTF-8"
	case literals(glob) == 0:
		return "it matches everything, so this environment would claim every resource; name what its resources have in common, such as " + example
	}
	for _, r := range glob {
		if unicode.IsControl(r) {
			return fmt.Sprintf("it holds the control character %U, which cannot occur in a name or an address", r)
		}
	}
	return ""
}

// checkAddress returns why glob cannot be an address pattern, or "".
//
// Outside an instance key, a resource address holds only letters, digits,
// '_', '-', '.', '[' and ']'; instance keys are integers or quoted strings,
// and inside the quotes any printable character may occur, with '\' escaping
// the next one.
func checkAddress(glob, example string) string {
	if msg := checkCommon(glob, example); msg != "" {
		return msg
	}
	quoted := false
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case quoted && c == '\\':
			i++
		case quoted && c == '"':
			quoted = false
		case quoted:
		case c == '"':
			quoted = true
		case c == '*' || c == '_' || c == '-' || c == '.' || c == '[' || c == ']',
			c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			r, _ := utf8.DecodeRuneInString(glob[i:])
			return fmt.Sprintf("%q cannot occur in a resource address outside a quoted instance key; an address looks like module.prod.aws_s3_bucket.models[\"eu\"]", r)
		}
	}
	if quoted {
		return `an instance key's quotes are not closed; write keys as ["name"]`
	}
	return ""
}
