package eval

import "strings"

// AzureSubscription returns the subscription a scope or resource ID names,
// lower-cased: "/subscriptions/GUID/resourceGroups/rg/providers/..." gives
// GUID. Segment names are matched without regard to case and the leading
// slash may be missing. IDs that start elsewhere (management groups,
// tenant-level "/providers/..."), and a subscription segment that is not a
// GUID (an unknown value, a typo), give "".
func AzureSubscription(id string) string {
	seg := azureSegments(id)
	if len(seg) >= 2 && strings.EqualFold(seg[0], "subscriptions") && isGUID(seg[1]) {
		return strings.ToLower(seg[1])
	}
	return ""
}

// AzureResourceGroup returns the resource group a scope or resource ID
// names, as written, "" if it names none.
func AzureResourceGroup(id string) string {
	seg := azureSegments(id)
	if len(seg) >= 4 && AzureSubscription(id) != "" && strings.EqualFold(seg[2], "resourceGroups") {
		return seg[3]
	}
	return ""
}

func azureSegments(id string) []string {
	s := strings.TrimPrefix(strings.TrimSpace(id), "/")
	if s == "" {
		return nil
	}
	return strings.Split(s, "/")
}

// isGUID accepts the 8-4-4-4-12 hexadecimal form, either case.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}
