// Package segment is the domain of the provider: environments, their tiers,
// clouds and data classifications, and the defaults each tier implies. It is
// pure Go and imports nothing from Terraform, so the rules, the blueprint and
// the plan auditor can share it.
package segment

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Tier is the trust level of an environment.
type Tier string

// The tiers, from least to most trusted, and the shared-services tier.
const (
	Development Tier = "development"
	Staging     Tier = "staging"
	Production  Tier = "production"
	Shared      Tier = "shared"
)

// Tiers returns every tier in a stable order.
func Tiers() []Tier { return []Tier{Development, Staging, Production, Shared} }

// Valid reports whether t is one of Tiers.
func (t Tier) Valid() bool { return slices.Contains(Tiers(), t) }

// Cloud is the cloud an environment runs in.
type Cloud string

// The clouds named by the design; each has a blueprint.
const (
	AWS   Cloud = "aws"
	GCP   Cloud = "gcp"
	Azure Cloud = "azure"
)

// Clouds returns every cloud the design names.
func Clouds() []Cloud { return []Cloud{AWS, GCP, Azure} }

// SupportedClouds returns the clouds that have a blueprint today.
func SupportedClouds() []Cloud { return []Cloud{AWS, GCP, Azure} }

// Check returns nil for a tier, and otherwise an error that lists the tiers.
func (t Tier) Check() error {
	if t.Valid() {
		return nil
	}
	return fmt.Errorf("%q is not a tier; use one of %s", string(t), joinNames(Tiers()))
}

// Check returns nil for a cloud that has a blueprint, and otherwise an
// error that says whether the cloud is unknown or has no blueprint yet.
func (c Cloud) Check() error {
	switch {
	case slices.Contains(SupportedClouds(), c):
		return nil
	case slices.Contains(Clouds(), c):
		return fmt.Errorf("%q has no blueprint yet; supported: %s", string(c), joinNames(SupportedClouds()))
	}
	return fmt.Errorf("%q is not a cloud; use one of %s", string(c), joinNames(SupportedClouds()))
}

// Names returns the values of one of the domain's enumerations (Tiers,
// Clouds, Purposes, ...) as strings, in order.
func Names[T ~string](values []T) []string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return names
}

func joinNames[T ~string](values []T) string { return strings.Join(Names(values), ", ") }

// InputError is an input the domain refuses, on the attribute that holds it.
type InputError struct {
	Attribute string // "tier", "cloud"
	Err       error
}

func (e *InputError) Error() string { return e.Attribute + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// checkTierAndCloud returns an InputError for each of a tier and a cloud
// that the domain cannot work with; values not known yet are left alone.
func checkTierAndCloud(tier Tier, c Cloud, known func(string) bool) []*InputError {
	var out []*InputError
	if known("tier") {
		if err := tier.Check(); err != nil {
			out = append(out, &InputError{Attribute: "tier", Err: err})
		}
	}
	if known("cloud") {
		if err := c.Check(); err != nil {
			out = append(out, &InputError{Attribute: "cloud", Err: err})
		}
	}
	return out
}

// Classification is the sensitivity of the data an environment holds.
type Classification string

// The data classifications, from least to most sensitive.
const (
	Public       Classification = "public"
	Internal     Classification = "internal"
	Confidential Classification = "confidential"
	Restricted   Classification = "restricted"
)

// Classifications returns every classification, least sensitive first.
func Classifications() []Classification {
	return []Classification{Public, Internal, Confidential, Restricted}
}

// Access is the level of access people (data scientists) have to an
// environment's data and models.
type Access string

// The human access levels.
const (
	NoAccess    Access = "none"
	ReadAccess  Access = "read"
	WriteAccess Access = "write"
)

// AccessLevels returns every access level, least first.
func AccessLevels() []Access { return []Access{NoAccess, ReadAccess, WriteAccess} }

// Defaults are the values a tier implies for inputs the user leaves unset,
// and the bounds the rules hold every environment of the tier to.
type Defaults struct {
	DataClassification Classification
	HumanAccess        Access

	LogRetentionDays    int // default retention of flow and audit logs
	MinLogRetentionDays int // SEG501: retention may not be shorter

	KeyRotationDays    int // default KMS rotation period
	MaxKeyRotationDays int // SEG301: rotation may not be longer

	KeyDeletionWindowDays    int // default KMS deletion window
	MinKeyDeletionWindowDays int // SEG302: the window may not be shorter
}

var tierDefaults = map[Tier]Defaults{
	Development: {
		DataClassification: Internal, HumanAccess: WriteAccess,
		LogRetentionDays: 30, MinLogRetentionDays: 7,
		KeyRotationDays: 365, MaxKeyRotationDays: 365,
		KeyDeletionWindowDays: 7, MinKeyDeletionWindowDays: 7,
	},
	Staging: {
		DataClassification: Internal, HumanAccess: ReadAccess,
		LogRetentionDays: 90, MinLogRetentionDays: 30,
		KeyRotationDays: 180, MaxKeyRotationDays: 365,
		KeyDeletionWindowDays: 14, MinKeyDeletionWindowDays: 7,
	},
	Production: {
		DataClassification: Restricted, HumanAccess: NoAccess,
		LogRetentionDays: 365, MinLogRetentionDays: 365,
		KeyRotationDays: 90, MaxKeyRotationDays: 90,
		KeyDeletionWindowDays: 30, MinKeyDeletionWindowDays: 30,
	},
	Shared: {
		DataClassification: Internal, HumanAccess: NoAccess,
		LogRetentionDays: 365, MinLogRetentionDays: 90,
		KeyRotationDays: 90, MaxKeyRotationDays: 180,
		KeyDeletionWindowDays: 30, MinKeyDeletionWindowDays: 14,
	},
}

// Defaults returns the tier's defaults, or the error of Check for a value
// that is not a tier.
func (t Tier) Defaults() (Defaults, error) {
	d, ok := tierDefaults[t]
	if !ok {
		return Defaults{}, t.Check()
	}
	return d, nil
}

// Purpose is what a GPU node pool runs.
type Purpose string

// The node pool purposes.
const (
	Training  Purpose = "training"
	Inference Purpose = "inference"
)

// Purposes returns every node pool purpose.
func Purposes() []Purpose { return []Purpose{Training, Inference} }

// NodePool is a GPU node pool as the user declares it.
type NodePool struct {
	Name         string
	InstanceType string
	// Accelerator and AcceleratorCount name the GPUs a machine type without
	// its own takes (Google Cloud N1 machines); empty and 0 otherwise.
	Accelerator      string
	AcceleratorCount int
	MinSize          int
	MaxSize          int
	Spot             bool
	Purpose          Purpose
}

// Ingress is a declared entry point: the only traffic from outside the
// environment that its firewall admits.
type Ingress struct {
	Name      string
	Port      int
	FromCIDRs []netip.Prefix
}

// Waiver turns one rule off for one environment, with a recorded reason.
type Waiver struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// Environment is one isolated environment, with every default resolved.
type Environment struct {
	Organization string
	Name         string
	Tier         Tier
	Cloud        Cloud
	Region       string
	AccountID    string
	Zones        []string
	CIDR         netip.Prefix

	DataClassification Classification
	HumanAccess        Access
	GPUNodePools       []NodePool
	Ingress            []Ingress
	// Namespaces are the workload namespaces of the environment's cluster,
	// DefaultNamespaces(tier) when the user declares none.
	Namespaces []Namespace

	// CIOIDCProvider is the host of the CI's OIDC issuer, and CISubject the
	// one subject it may present to deploy. An empty CISubject means nothing
	// can deploy, and no deployer role is made.
	CIOIDCProvider string
	CISubject      string

	LogRetentionDays      int
	KeyRotationDays       int
	KeyDeletionWindowDays int

	Waivers []Waiver
	Tags    map[string]string

	// Unknown holds the attributes whose values are not known yet (at plan
	// time), as paths such as "account_id", "gpu_node_pools[1].spot" or a
	// whole "ingress". Their fields hold stand-ins, and the rules that read
	// them wait until they are known.
	Unknown map[string]bool
}

// Check returns what the domain cannot work with in the environment: a
// tier that is not a tier, or a cloud that is not one or has no blueprint
// yet. The rules and the blueprint take only an environment it accepts.
func (e Environment) Check() error {
	var errs []error
	for _, ie := range checkTierAndCloud(e.Tier, e.Cloud, func(a string) bool { return !e.Unknown[a] }) {
		errs = append(errs, ie)
	}
	return errors.Join(errs...)
}

// Prefix returns the name prefix of every resource of the environment:
// "{organization}-{environment}".
func (e Environment) Prefix() string { return e.Organization + "-" + e.Name }

// ResourceName returns the deterministic name "{organization}-{environment}-{purpose}".
func (e Environment) ResourceName(purpose string) string { return e.Prefix() + "-" + purpose }

// DefaultZones returns the availability zones used when none are given: the
// first three of the region, named by the region and the letters a to c.
func DefaultZones(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// EnvironmentTagKey is the tag that scopes every resource and policy of an
// environment (ABAC).
const EnvironmentTagKey = "segmented:environment"

// TierTagKey is the tag that records an environment's tier.
const TierTagKey = "segmented:tier"
