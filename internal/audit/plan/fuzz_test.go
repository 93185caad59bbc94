package plan_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plan"
)

// FuzzRead feeds the reader arbitrary documents: Read either refuses one
// with an error or returns a document whose facts the checks take, and
// nothing panics.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"SEG701-failing", "SEG702-failing", "SEG703-failing", "SEG705-failing", "SEG709-failing",
		"kubernetes-SEG801", "kubernetes-SEG803", "kubernetes-SEG806", "kubernetes-patterns"} {
		if data, err := os.ReadFile(filepath.Join("..", "testdata", "plans", name+".json")); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		``, `{}`, `[]`, `{"format_version":"1.2"}`, `{"format_version":"1.2","planned_values":{"root_module":{}}}`,
		`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/16","tags":{"env":"dev"}}}]}}}`,
		`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"kubernetes_namespace_v1.a","mode":"managed","type":"kubernetes_namespace_v1","name":"a","values":{"metadata":[{"name":"a","labels":{"segmented.io/environment":"dev"}}]}},{"address":"kubernetes_role_binding_v1.b","mode":"managed","type":"kubernetes_role_binding_v1","name":"b","values":{"metadata":[{"name":"b","namespace":"a","labels":null}],"role_ref":[{"kind":"ClusterRole","name":"edit"}],"subject":[{"kind":"User","name":"x"}]}},{"address":"kubernetes_network_policy_v1.c","mode":"managed","type":"kubernetes_network_policy_v1","name":"c","values":{"metadata":{"namespace":7},"spec":[{"egress":[{"to":[{"ip_block":[{"cidr":"10.0.0.0/8","except":"x"}],"namespace_selector":[{"match_labels":[],"match_expressions":[{"key":1}]}]}],"ports":[{"port":"x","end_port":"y"}]},{}],"ingress":{}}]}}]}}}`,
		`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_security_group.a","mode":"managed","type":"aws_security_group","name":"a","values":{"ingress":[{"cidr_blocks":["10.0.0.0/8"],"protocol":"-1"}],"tags":{"env":"prod"}}}]}},"resource_changes":[{"address":"aws_security_group.a","change":{"actions":["create"],"after_unknown":{"ingress":[{"cidr_blocks":true}]}}}],"configuration":{"root_module":{"resources":[{"address":"aws_security_group.a","mode":"managed","type":"aws_security_group","name":"a","expressions":{"ingress":{"references":["local.x","module.m.out","var.v","data.x.y.z"]}}}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := plan.Read(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		res := audit.Check(plan.Facts(doc, nil))
		for _, fd := range res.Findings {
			if fd.Rule.ID == "" || fd.Address == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
		}
	})
}
