package segment_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// TestInputChecks: the domain says what is wrong with a tier or a cloud it
// does not know, instead of panicking or falling back to AWS.
func TestInputChecks(t *testing.T) {
	for _, tier := range segment.Tiers() {
		if d, err := tier.Defaults(); err != nil || d.LogRetentionDays == 0 {
			t.Errorf("%s.Defaults() = %+v, %v", tier, d, err)
		}
	}
	if _, err := segment.Tier("prod").Defaults(); err == nil || err.Error() != `"prod" is not a tier; use one of development, staging, production, shared` {
		t.Errorf(`Tier("prod").Defaults() error = %v`, err)
	}
	for cloud, want := range map[segment.Cloud]string{
		"aws":   "",
		"gcp":   "",
		"azure": "",
		"AWS":   `"AWS" is not a cloud; use one of aws, gcp, azure`,
		"":      `"" is not a cloud; use one of aws, gcp, azure`,
	} {
		err := cloud.Check()
		if got := errText(err); got != want {
			t.Errorf("Cloud(%q).Check() = %q, want %q", cloud, got, want)
		}
	}

	env := segment.Environment{Name: "prod", Tier: "prod", Cloud: "oci"}
	err := env.Check()
	var input *segment.InputError
	if !errors.As(err, &input) || input.Attribute != "tier" || !strings.Contains(err.Error(), "cloud: \"oci\" is not a cloud") {
		t.Errorf("Environment.Check() = %v, want errors on tier and cloud", err)
	}
	env.Unknown = map[string]bool{"tier": true, "cloud": true}
	if err := env.Check(); err != nil {
		t.Errorf("values not known yet are not checked: %v", err)
	}

	topo := segment.Topology{Environments: []segment.Member{
		{Name: "dev", Tier: segment.Development, Cloud: segment.AWS},
		{Name: "prod", Tier: segment.Production, Cloud: "oci"},
		{Name: "blank"}, // empty values are the adapter's to report
	}}
	if got := errText(topo.Check()); got != `environments[1].cloud: "oci" is not a cloud; use one of aws, gcp, azure` {
		t.Errorf("Topology.Check() = %q", got)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
