package cloud

import (
	"fmt"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Azure is the facts of Azure.
var Azure = Facts{
	Cloud:   segment.Azure,
	Name:    "Azure",
	Network: "VNet",
	// A VNet's subnets are at most a /29, but an AKS environment carves its
	// nodes' subnet and its pods' and services' ranges from the workload
	// half of its range, as on Google Cloud: a /20 is the smallest.
	NetworkPrefix: PrefixBounds{Shortest: 8, Longest: 20},
	// Azure keeps 5 addresses of every subnet: the network address, the
	// default gateway, two for DNS and the broadcast address.
	Subnets: netplan.Limits{LongestSubnet: 29, ReservedPerSubnet: 5},
	// Storage account names: 3 to 24 lower-case letters and digits, unique
	// across Azure. The blueprint drops the dashes of its names for them.
	GlobalNames: NameRules{
		Kind:      "storage account name",
		MinLength: 3,
		MaxLength: 24,
	},
	// A user-assigned managed identity's name has 3 to 128 characters.
	RoleNameMaxLength: 128,
	// Storage account names have 3 to 24 lower-case letters and digits; key
	// vault names 3 to 24 letters, digits and dashes.
	NameLimits: []NameLimit{
		{Kind: "storage account name", Purpose: "models", MaxLength: 24, NoDashes: true},
		{Kind: "key vault name", Purpose: "kv", MaxLength: 24},
		{Kind: "managed identity name", Purpose: "data-scientist", MaxLength: 128},
	},
	AccountID:   pattern(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, "an Azure subscription ID: a GUID in lower case"),
	Region:      pattern(`^[a-z]+[0-9]*$`, `an Azure region name such as "westeurope"`),
	Zone:        pattern(`^[1-3]$`, `an Azure availability zone: "1", "2" or "3"`),
	zoneNumbers: true,
	// A Log Analytics workspace keeps data for 30 to 730 days.
	LogRetention: between("Log Analytics", 30, 730),
	// Key Vault rotates a key no sooner than 7 days after its creation, and
	// the provider keeps rotation within ten years; a deleted vault or key
	// stays recoverable for 7 to 90 days.
	KeyRotation: between("Azure Key Vault", 7, 3650),
	KeyDeletion: between("Azure Key Vault", 7, 90),
	// Tag names have at most 512 characters and none of < > % & \ ? /;
	// values at most 256.
	TagKey:   sized(`[^<>%&\\?/]`, 1, 512, "an Azure tag name: 1 to 512 characters, none of < > % & \\ ? /"),
	TagValue: sized(`.`, 0, 256, "an Azure tag value: up to 256 characters"),
	// An AKS node pool scales to at most 1,000 nodes.
	MaxPoolSize: 1000,
	PoolService: "AKS node pools",
	principal: func(id Identity) string {
		return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%s",
			id.Account, id.Environment, id.Name)
	},
}
