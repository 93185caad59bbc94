package rules_test

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// memberNamespaces gives environment i the workload namespaces of purposes
// (none at all when purposes is empty).
func memberNamespaces(i int, purposes ...segment.NamespacePurpose) func(*segment.Topology) {
	return func(t *segment.Topology) {
		t.Environments[i].Namespaces = append([]segment.NamespacePurpose{}, purposes...)
	}
}

// unknownNamespaces marks environment i's namespaces not known yet.
func unknownNamespaces(i int) func(*segment.Topology) {
	return func(t *segment.Topology) {
		if t.Environments[i].Unknown == nil {
			t.Environments[i].Unknown = map[string]bool{}
		}
		t.Environments[i].Unknown["namespaces"] = true
		t.Environments[i].Namespaces = nil
	}
}

// kubernetesCases are SEG805's: the clean topology's telemetry flow is
// flows[2] (prod -> shared) and its deploy flow flows[3] (shared -> prod).
func kubernetesCases() []topoCase {
	return []topoCase{
		{rule: "SEG805", name: "shared has no telemetry namespace", mutate: memberNamespaces(iShared, segment.PipelinesNamespace),
			want: []topoWant{{"SEG805", "flows[2]"}}, msg: []string{"shared has no telemetry namespace to receive it"}},
		{rule: "SEG805", name: "shared has no pipelines namespace to deploy from", mutate: memberNamespaces(iShared, segment.TelemetryNamespace),
			want: []topoWant{{"SEG805", "flows[3]"}}, msg: []string{"shared has no pipelines namespace to send it from"}},
		{rule: "SEG805", name: "prod has no namespace at all", mutate: memberNamespaces(iProd),
			want: []topoWant{{"SEG805", "flows[2]"}}, msg: []string{"prod has no inference or pipelines or telemetry or training namespace to send it from"}},
		{rule: "SEG805", name: "one sender is enough", mutate: memberNamespaces(iProd, segment.InferenceNamespace)},
		{rule: "SEG805", name: "a deploy needs no receiver", mutate: memberNamespaces(iProd, segment.TrainingNamespace)},
		{rule: "SEG805", name: "namespaces not known yet", mutate: chain(memberNamespaces(iShared, segment.PipelinesNamespace), unknownNamespaces(iShared))},
	}
}
