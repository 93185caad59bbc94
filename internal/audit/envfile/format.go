package envfile

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Format renders diagnostics for a terminal, one a line, without colour:
//
//	environments.hcl:12,15: Invalid tier: The tier "prod" is not one of ...
//	environments.hcl:4,14: warning: CIDR not a private range: ...
//
// A diagnostic without a position shows the file name alone, or nothing.
func Format(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Subject != nil {
			switch {
			case d.Subject.Start.Line > 0:
				fmt.Fprintf(&b, "%s:%d,%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
			case d.Subject.Filename != "":
				fmt.Fprintf(&b, "%s: ", d.Subject.Filename)
			}
		}
		if d.Severity == hcl.DiagWarning {
			b.WriteString("warning: ")
		}
		b.WriteString(d.Summary)
		if d.Detail != "" {
			b.WriteString(": " + d.Detail)
		}
		b.WriteString("\n")
	}
	return b.String()
}
