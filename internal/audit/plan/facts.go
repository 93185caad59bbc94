package plan

import (
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Options are what the reader may use besides the document.
type Options struct {
	// Environments is the environments file; nil when there is none.
	Environments *envfile.File
	// Source is the configuration's source (--source). The plan holds no
	// local values: with the source, a value that comes through a local is
	// followed to what the local refers to.
	Source *source.Locator
}

// Facts reads a document's resources into the audit's facts. file may be
// nil when there is no environments file.
func Facts(d *Document, file *envfile.File) audit.Facts {
	return FactsWith(d, Options{Environments: file})
}

// FactsWith reads a document's resources into the audit's facts.
func FactsWith(d *Document, opt Options) audit.Facts {
	file := opt.Environments
	doc := newDoc(d)
	doc.locals = opt.Source
	reg := newRegistry(file)
	at := newAttributor(doc, reg, file)
	at.declareFromPlan()

	x := &extractor{doc: doc, at: at}
	for _, r := range doc.resources {
		c := cloudOf(r.typ)
		if !r.managed || c == "" {
			continue
		}
		r.index = len(x.facts.Resources)
		x.facts.Resources = append(x.facts.Resources, audit.Resource{Address: r.addr, Type: r.typ, Cloud: c})
	}
	for _, r := range doc.resources {
		if r.index < 0 {
			continue
		}
		x.facts.Resources[r.index].Attribution = at.attribute(r)
		if ranges := networkRanges(r); len(ranges) > 0 {
			x.facts.Networks = append(x.facts.Networks, audit.Network{Resource: r.index, Path: networkPath(r.typ), CIDRs: ranges})
			if env := x.facts.Resources[r.index].Attribution.Environment; env != "" {
				reg.declare(audit.Environment{Name: env, CIDRs: ranges})
			}
		}
		if extract := extractors[r.typ]; extract != nil {
			extract(x, r)
		}
	}
	x.facts.Environments = reg.list()
	x.facts.Flows = reg.flows
	return x.facts
}

func cloudOf(typ string) segment.Cloud {
	switch {
	case strings.HasPrefix(typ, "aws_"):
		return "aws"
	case strings.HasPrefix(typ, "google_"):
		return "gcp"
	case strings.HasPrefix(typ, "azurerm_"):
		return "azure"
	case isKube(typ):
		return "kubernetes"
	}
	return ""
}

func networkPath(typ string) string {
	switch typ {
	case "google_compute_subnetwork":
		return "ip_cidr_range"
	case "azurerm_virtual_network":
		return "address_space"
	case "azurerm_subnet":
		return "address_prefixes"
	}
	return "cidr_block"
}
