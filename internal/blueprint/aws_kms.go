package blueprint

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// KMS key purposes. The key name is {organization}-{environment}-{purpose}.
const (
	KeyData    = "data"
	KeyModels  = "models"
	KeyLogs    = "logs"
	KeySecrets = "secrets"
)

// KeyPurposes returns every key purpose, sorted.
func KeyPurposes() []string { return []string{KeyData, KeyLogs, KeyModels, KeySecrets} }

var keyDescriptions = map[string]string{
	KeyData:    "training and evaluation data, and node volumes",
	KeyModels:  "model artefacts",
	KeyLogs:    "flow and audit logs",
	KeySecrets: "Kubernetes secrets",
}

// Key use levels, granted in key policies.
var (
	keyRead    = []string{"kms:Decrypt", "kms:DescribeKey"}
	keyWrite   = []string{"kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"}
	keySecrets = []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"}
)

// keyUse says, for a key purpose, which role may use it how. The
// data-scientist role's level follows human_access.
func (a aws) keyUse(purpose string) map[string][]string {
	human := keyRead
	if a.env.HumanAccess == segment.WriteAccess {
		human = keyWrite
	}
	switch purpose {
	case KeyData:
		return map[string][]string{RoleTraining: keyRead, RoleDataScientist: human}
	case KeyModels:
		return map[string][]string{RoleTraining: keyWrite, RoleInference: keyRead, RoleDeployer: keyWrite, RoleDataScientist: human}
	case KeySecrets:
		return map[string][]string{RoleCluster: keySecrets}
	}
	return nil
}

// keyAdminActions manage a key but never use it: no Decrypt, Encrypt or
// GenerateDataKey. They include disabling a key and revoking its grants, for
// incident response.
var keyAdminActions = []string{
	"kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
	"kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
	"kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListResourceTags", "kms:PutKeyPolicy",
	"kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
	"kms:UpdateAlias", "kms:UpdateKeyDescription",
}

func (a aws) keys(roles []Identity) []Key {
	arns := map[string]string{}
	for _, r := range roles {
		arns[r.Key] = r.Principal
	}
	keys := make([]Key, 0, len(KeyPurposes()))
	for _, purpose := range KeyPurposes() {
		keys = append(keys, Key{
			Key:                purpose,
			Name:               a.name(purpose),
			Purpose:            purpose,
			Description:        fmt.Sprintf("Encrypts the %s of %s.", keyDescriptions[purpose], a.env.Prefix()),
			RotationPeriodDays: a.env.KeyRotationDays,
			DeletionWindowDays: a.env.KeyDeletionWindowDays,
			AWS:                &AWSKey{Alias: a.alias(purpose), Policy: a.keyPolicy(purpose, arns).String()},
		})
	}
	return keys
}

// keyPolicy lets only this environment's roles, and the AWS services that
// encrypt on its behalf, use the key. The environment's own account
// administers it through IAM (so that whoever runs Terraform there passes
// the lockout check), with management actions only: administering a key
// never grants its use.
func (a aws) keyPolicy(purpose string, roles map[string]string) policy {
	statements := []statement{allow("AdministerKey", keyAdminActions, "*").by("AWS", a.accountRoot())}

	// One statement per level of use, naming the roles at that level.
	levels := map[string][]string{} // sid -> role ARNs
	actionsOf := map[string][]string{}
	for role, actions := range a.keyUse(purpose) {
		arn, ok := roles[role]
		if !ok {
			continue
		}
		sid := "UseKey" + strings.ReplaceAll(strings.Join(actions, ""), "kms:", "")
		levels[sid] = append(levels[sid], arn)
		actionsOf[sid] = actions
	}
	for _, sid := range slices.Sorted(maps.Keys(levels)) {
		statements = append(statements, allow(sid, actionsOf[sid], "*").by("AWS", levels[sid]...))
	}
	statements = append(statements,
		allow("ReadKeySettings", []string{"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"}, "*").
			by("AWS", roles[RoleAuditor]))

	switch purpose {
	case KeyData:
		// EC2 Auto Scaling launches the GPU nodes and encrypts their volumes.
		asg := fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", a.partition, a.env.AccountID)
		statements = append(statements,
			allow("EncryptNodeVolumes", []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt",
				"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"}, "*").by("AWS", asg),
			allow("GrantNodeVolumes", []string{"kms:CreateGrant"}, "*").by("AWS", asg).
				when("Bool", "kms:GrantIsForAWSResource", "true"))
	case KeyLogs:
		groups := []string{a.logGroupARN(a.auditLogGroup()), a.logGroupARN(a.flowLogGroup())}
		slices.Sort(groups)
		statements = append(statements,
			allow("CloudWatchLogs", []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
				"kms:ReEncryptFrom", "kms:ReEncryptTo"}, "*").
				by("Service", "logs."+a.env.Region+".amazonaws.com").
				when("ArnEquals", "kms:EncryptionContext:aws:logs:arn", groups...))
	}
	return document(statements...)
}
