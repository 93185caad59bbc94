package envfile

import "github.com/hashicorp/hcl/v2"

var rootSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "tag_keys"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "environment", LabelNames: []string{"name"}},
		{Type: "flow"},
		{Type: "waiver"},
	},
}

var environmentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "tier", Required: true},
		{Name: "cidrs"},
		{Name: "accounts"},
		{Name: "principals"},
		{Name: "names"},
		{Name: "addresses"},
	},
}

var flowSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "from", Required: true},
		{Name: "to", Required: true},
		{Name: "purpose", Required: true},
	},
}
