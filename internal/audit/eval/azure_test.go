package eval

import "testing"

func TestAzureSubscription(t *testing.T) {
	const sub = "00000000-1111-2222-3333-444444444444"
	tests := []struct{ in, sub, rg string }{
		{"/subscriptions/" + sub, sub, ""},
		{"/subscriptions/" + sub + "/resourceGroups/rg-prod", sub, "rg-prod"},
		{"/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s", sub, "rg"},
		{"/SUBSCRIPTIONS/00000000-1111-2222-3333-AAAAAAAAAAAA/RESOURCEGROUPS/RG", "00000000-1111-2222-3333-aaaaaaaaaaaa", "RG"},
		{"subscriptions/" + sub + "/resourcegroups/rg", sub, "rg"},
		{"  /subscriptions/" + sub + "/  ", sub, ""},
		{"/providers/Microsoft.Management/managementGroups/mg", "", ""},
		{"/subscriptions/not-a-guid/resourceGroups/rg", "", ""},
		{"/subscriptions/", "", ""},
		{"/resourceGroups/rg/subscriptions/" + sub, "", ""},
		{sub, "", ""},
		{"", "", ""},
		{"/", "", ""},
	}
	for _, tc := range tests {
		if got := AzureSubscription(tc.in); got != tc.sub {
			t.Errorf("AzureSubscription(%q) = %q, want %q", tc.in, got, tc.sub)
		}
		if got := AzureResourceGroup(tc.in); got != tc.rg {
			t.Errorf("AzureResourceGroup(%q) = %q, want %q", tc.in, got, tc.rg)
		}
	}
}
