package cloud

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// GCPFirewallNameMaxLength is the longest name of a Google Cloud firewall
// rule.
const GCPFirewallNameMaxLength = 63

// GCP is the facts of Google Cloud.
var GCP = Facts{
	Cloud:   segment.GCP,
	Name:    "Google Cloud",
	Network: "VPC network",
	// A custom-mode subnet's primary IPv4 range is a /8 to a /29, but a GKE
	// environment carves its nodes' subnet, its pods and services ranges and
	// the control plane's /28 from the workload half of its range: a /20 is
	// the smallest that leaves the pods a /22 (16 nodes of 32 pods).
	NetworkPrefix: PrefixBounds{Shortest: 8, Longest: 20},
	// Google Cloud keeps 4 addresses of every primary range: the network
	// and default gateway addresses, the second-to-last address and the
	// broadcast address.
	Subnets: netplan.Limits{LongestSubnet: 29, ReservedPerSubnet: 4},
	// Cloud Storage bucket names: 3 to 63 characters (without dots), never
	// starting with "goog" or containing "google".
	GlobalNames: NameRules{
		Kind:             "Cloud Storage bucket name",
		MinLength:        3,
		MaxLength:        63,
		ReservedPrefixes: []string{"goog"},
		ReservedWords:    []string{"google"},
	},
	// A service account's ID, the part of its email before the @, has 6 to
	// 30 characters.
	RoleNameMaxLength: 30,
	// Firewall rule names have at most 63 characters; the longest of an
	// environment's own rules is the control plane's kubelet rule.
	NameLimits: []NameLimit{
		{Kind: "service account ID", Purpose: "data-scientist", MaxLength: 30},
		{Kind: "firewall rule name", Purpose: "fw-ingress-nodes-control-plane-tcp10250", MaxLength: GCPFirewallNameMaxLength},
	},
	AccountID: pattern(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`, "a GCP project ID: 6 to 30 lower-case letters, digits or hyphens, starting with a letter"),
	Region:    pattern(`^[a-z]+-[a-z]+[0-9]+$`, `a Google Cloud region name such as "europe-west4"`),
	Zone:      pattern(`^[a-z]+-[a-z]+[0-9]+-[a-z]$`, `a Google Cloud zone name such as "europe-west4-a"`),
	// A log bucket keeps logs for 1 to 3650 days.
	LogRetention: between("Cloud Logging", 1, 3650),
	// Cloud KMS rotates a key at most once a day, and the provider keeps
	// rotation within ten years; a key version scheduled for destruction
	// waits 1 to 120 days.
	KeyRotation:   between("Cloud KMS", 1, 3650),
	KeyDeletion:   between("Cloud KMS", 1, 120),
	ZoneSeparator: "-",
	// Label keys start with a lower-case letter; keys and values have at
	// most 63 lower-case letters, digits, underscores or dashes.
	TagKey:         pattern(`^[a-z][a-z0-9_-]{0,62}$`, "a Google Cloud label key: a lower-case letter, then up to 62 lower-case letters, digits, _ or -"),
	TagValue:       pattern(`^[a-z0-9_-]{0,63}$`, "a Google Cloud label value: up to 63 lower-case letters, digits, _ or -"),
	reservedTagKey: func(key string) string { return strings.ReplaceAll(key, ":", "-") },
	// A GKE node pool autoscales to at most 1,000 nodes per zone.
	MaxPoolSize: 1000,
	PoolService: "GKE node pools",
	principal: func(id Identity) string {
		return fmt.Sprintf("%s@%s.iam.gserviceaccount.com", id.Name, id.Account)
	},
}
