package modgen

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// file is one generated .tf file.
type file struct {
	f *hclwrite.File
}

func newFile(header string) *file {
	f := &file{f: hclwrite.NewEmptyFile()}
	f.comment(header)
	return f
}

// comment appends a comment, one "# " line per line of text.
func (f *file) comment(text string) {
	var ts hclwrite.Tokens
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		ts = append(ts, token(hclsyntax.TokenComment, strings.TrimRight("# "+line, " ")+"\n"))
	}
	f.f.Body().AppendUnstructuredTokens(ts)
}

// block appends a block after a blank line, with an optional comment.
func (f *file) block(comment, typ string, labels ...string) *hclwrite.Body {
	f.f.Body().AppendNewline()
	if comment != "" {
		f.comment(comment)
	}
	return f.f.Body().AppendNewBlock(typ, labels).Body()
}

// set sets attributes on a body in order.
func set(b *hclwrite.Body, fields ...field) *hclwrite.Body {
	for _, fl := range fields {
		b.SetAttributeRaw(fl.name, fl.value)
	}
	return b
}

// nested appends a nested block to a body.
func nested(b *hclwrite.Body, typ string, fields ...field) *hclwrite.Body {
	return set(b.AppendNewBlock(typ, nil).Body(), fields...)
}

// bytes renders the file in canonical format.
func (f *file) bytes() []byte { return hclwrite.Format(f.f.Bytes()) }
