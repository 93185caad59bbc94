package blueprint

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// IAM role keys. The role name is {organization}-{environment}-{key}.
const (
	RoleAuditor       = "auditor"
	RoleCluster       = "cluster"
	RoleDataScientist = "data-scientist"
	RoleDeployer      = "deployer"
	RoleFlowLogs      = "flow-logs"
	RoleInference     = "inference"
	RoleNode          = "node"
	RoleTraining      = "training"
)

// Bucket purposes: the S3 buckets the policies scope to, named
// {organization}-{environment}-{purpose}.
const (
	BucketData   = "data"
	BucketModels = "models"
)

var (
	s3Read  = []string{"s3:GetObject", "s3:ListBucket"}
	s3Write = []string{"s3:GetObject", "s3:ListBucket", "s3:PutObject"}
)

func (a aws) identities() []Identity {
	env := a.env
	// Keys are granted in the key policies, by role ARN; the inline policies
	// grant the rest and deny everything outside the environment.
	roles := []Identity{
		a.role(RoleTraining, "Training jobs: read training data, write models.", false, a.podTrust(),
			a.bucketAccess("TrainingData", BucketData, s3Read),
			a.bucketAccess("Models", BucketModels, s3Write)),
		a.role(RoleInference, "Inference services: read models.", false, a.podTrust(),
			a.bucketAccess("Models", BucketModels, s3Read)),
		a.role(RoleAuditor, "Auditors: read-only access to logs, key settings and the network.", true, a.humanTrust(),
			allow("ReadLogs", []string{"logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents"},
				a.logGroupARN(a.flowLogGroup())+":*", a.logGroupARN(a.auditLogGroup())+":*"),
			allow("ReadCluster", []string{"eks:DescribeCluster"}, a.clusterARN()),
			// EC2 Describe calls support no resource-level scoping.
			allow("ReadNetwork", []string{"ec2:DescribeFlowLogs", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroupRules",
				"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}, "*")),
		a.role(RoleNode, "GPU nodes: join the cluster and pull images.", false, a.serviceTrust("ec2.amazonaws.com")),
		a.role(RoleCluster, "The Kubernetes control plane.", false, a.serviceTrust("eks.amazonaws.com")),
		a.role(RoleFlowLogs, "Delivers VPC flow logs to the encrypted log group.", false, a.flowLogTrust(),
			allow("DeliverFlowLogs", []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
				a.logGroupARN(a.flowLogGroup()), a.logGroupARN(a.flowLogGroup())+":*")),
	}
	if env.CISubject != "" {
		roles = append(roles, a.role(RoleDeployer, "CI deploys models and workloads; assumable only by ci_subject.", false, a.ciTrust(),
			allow("DescribeCluster", []string{"eks:DescribeCluster"}, a.clusterARN()),
			a.bucketAccess("Models", BucketModels, s3Write)))
	}
	switch env.HumanAccess {
	case segment.WriteAccess:
		roles = append(roles, a.role(RoleDataScientist, "Data scientists: read and write data and models.", true, a.humanTrust(),
			a.bucketAccess("Data", BucketData, s3Write),
			a.bucketAccess("Models", BucketModels, s3Write)))
	case segment.ReadAccess:
		roles = append(roles, a.role(RoleDataScientist, "Data scientists: read data and models.", true, a.humanTrust(),
			a.bucketAccess("Data", BucketData, s3Read),
			a.bucketAccess("Models", BucketModels, s3Read)))
	}
	for i := range roles {
		if roles[i].Key == RoleNode || roles[i].Key == RoleCluster {
			roles[i].AWS.ManagedPolicyARNs = a.managedPolicies(roles[i].Key)
		}
	}
	sortByKey(roles, func(r Identity) string { return r.Key })
	return roles
}

// role builds a role whose inline policy is the given grants followed by an
// explicit deny of everything outside the environment.
func (a aws) role(purpose, description string, human bool, trust policy, grants ...statement) Identity {
	return Identity{
		Key:       purpose,
		Name:      a.name(purpose),
		Principal: a.roleARN(purpose),
		Purpose:   description,
		Human:     human,
		AWS: &AWSIdentity{
			TrustPolicy:       trust.String(),
			Policy:            document(append(grants, a.denyOtherEnvironments(purpose, grants)...)...).String(),
			ManagedPolicyARNs: []string{},
		},
	}
}

// denyOtherEnvironments denies the role's own actions on anything outside its
// environment: S3 outside its buckets, and any resource tagged for another
// environment. Nodes may still pull images from the shared tier's registry
// (the artifact-pull flow).
func (a aws) denyOtherEnvironments(purpose string, grants []statement) []statement {
	var s3Actions, tagged []string
	for _, g := range grants {
		for _, act := range g.Action {
			if strings.HasPrefix(act, "s3:") {
				s3Actions = append(s3Actions, act)
			} else if !strings.HasPrefix(act, "ec2:Describe") {
				tagged = append(tagged, act)
			}
		}
	}
	if purpose == RoleNode {
		tagged = append(tagged, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
	}
	tagged = append(tagged, "kms:Decrypt", "kms:GenerateDataKey")
	var out []statement
	if len(s3Actions) > 0 {
		out = append(out, statement{
			Sid: "DenyBucketsOfOtherEnvironments", Effect: "Deny", Action: sorted(s3Actions),
			NotResource: a.ownBuckets(),
		})
	}
	deny := statement{Sid: "DenyOtherEnvironments", Effect: "Deny", Action: sorted(tagged), Resource: []string{"*"}}.
		when("Null", "aws:ResourceTag/"+segment.EnvironmentTagKey, "false").
		when("StringNotEquals", "aws:ResourceTag/"+segment.EnvironmentTagKey, a.env.Name)
	if purpose == RoleNode {
		deny = deny.when("StringNotEquals", "aws:ResourceTag/"+segment.TierTagKey, string(segment.Shared))
	}
	return append(out, deny)
}

func (a aws) ownBuckets() []string {
	var out []string
	for _, b := range []string{BucketData, BucketModels} {
		out = append(out, a.bucketARN(b), a.bucketARN(b)+"/*")
	}
	return out
}

func (a aws) bucketAccess(sid, bucket string, actions []string) statement {
	return allow(sid, actions, a.bucketARN(bucket), a.bucketARN(bucket)+"/*")
}

func (a aws) managedPolicies(purpose string) []string {
	var names []string
	switch purpose {
	case RoleCluster:
		names = []string{"AmazonEKSClusterPolicy"}
	case RoleNode:
		names = []string{"AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"}
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, fmt.Sprintf("arn:%s:iam::aws:policy/%s", a.partition, n))
	}
	return out
}

// podTrust lets the cluster's pods assume the role through EKS Pod Identity,
// from this account and this cluster only.
func (a aws) podTrust() policy {
	return document(statement{Sid: "PodIdentity", Effect: "Allow", Action: []string{"sts:AssumeRole", "sts:TagSession"}}.
		by("Service", "pods.eks.amazonaws.com").
		when("StringEquals", "aws:SourceAccount", a.env.AccountID).
		when("ArnEquals", "aws:SourceArn", a.clusterARN()))
}

func (a aws) serviceTrust(service string) policy {
	return document(statement{Sid: "Service", Effect: "Allow", Action: []string{"sts:AssumeRole"}}.
		by("Service", service).
		when("StringEquals", "aws:SourceAccount", a.env.AccountID))
}

func (a aws) flowLogTrust() policy {
	return document(statement{Sid: "FlowLogs", Effect: "Allow", Action: []string{"sts:AssumeRole"}}.
		by("Service", "vpc-flow-logs.amazonaws.com").
		when("StringEquals", "aws:SourceAccount", a.env.AccountID).
		when("ArnLike", "aws:SourceArn", fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", a.partition, a.env.Region, a.env.AccountID)))
}

// humanTrust lets people of this account assume the role only with MFA and
// only when they are tagged for this environment.
func (a aws) humanTrust() policy {
	return document(statement{Sid: "PeopleOfThisEnvironment", Effect: "Allow", Action: []string{"sts:AssumeRole"}}.
		by("AWS", a.accountRoot()).
		when("Bool", "aws:MultiFactorAuthPresent", "true").
		when("StringEquals", "aws:PrincipalTag/"+segment.EnvironmentTagKey, a.env.Name))
}

// ciTrust lets exactly one CI subject assume the deployer role through OIDC.
func (a aws) ciTrust() policy {
	issuer := a.env.CIOIDCProvider
	return document(statement{Sid: "CISubject", Effect: "Allow", Action: []string{"sts:AssumeRoleWithWebIdentity"}}.
		by("Federated", fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", a.partition, a.env.AccountID, issuer)).
		when("StringEquals", issuer+":aud", "sts.amazonaws.com").
		when("StringEquals", issuer+":sub", a.env.CISubject))
}

// buckets are the data and models buckets the roles' policies scope to,
// each encrypted with the key of its purpose and reachable over TLS only.
func (a aws) buckets() []Bucket {
	out := make([]Bucket, 0, 2)
	for _, p := range []string{BucketData, BucketModels} {
		arn := a.bucketARN(p)
		out = append(out, Bucket{
			Key: p, Name: a.name(p), Purpose: p, KMSKey: p,
			AWS: &AWSBucket{Policy: document(statement{
				Sid: "DenyInsecureTransport", Effect: "Deny", Action: []string{"s3:*"},
				Resource: []string{arn, arn + "/*"},
			}.by("AWS", "*").when("Bool", "aws:SecureTransport", "false")).String()},
		})
	}
	return out
}
