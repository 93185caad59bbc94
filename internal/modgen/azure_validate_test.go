package modgen

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// azureWorkspace is a copy of the module with a Terraform CLI configuration
// whose filesystem mirror holds, as hashicorp/azurerm, the schema provider
// serving one release's real schema.
type azureWorkspace struct {
	tf, dir string
	env     []string
}

var azureModuleRel = filepath.Join("modules", "azure-ml-environment")

// newAzureWorkspace builds the schema provider, fills the mirror, copies the
// module and runs terraform init there. With plan set, the schema provider
// plans (internal/schemaprovider's plan mode): every value the
// configuration gives is planned as given, every computed one is unknown.
func newAzureWorkspace(t *testing.T, version string, plan bool) *azureWorkspace {
	t.Helper()
	ws := newSchemaWorkspace(t, "hashicorp/azurerm", version, plan, azureModuleRel)
	dir := filepath.Join(ws.root, azureModuleRel)
	mustRun(t, dir, ws.env, ws.tf, "init", "-input=false", "-backend=false")
	if lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl")); err != nil || !strings.Contains(string(lock), fmt.Sprintf("version     = %q", version)) {
		t.Fatalf("terraform init did not select hashicorp/azurerm %s (%v):\n%s", version, err, lock)
	}
	return &azureWorkspace{tf: ws.tf, dir: dir, env: ws.env}
}

// TestValidateAzureModuleAgainstTheRealAzurermSchema runs the real
// `terraform validate` on the generated module, once for every
// hashicorp/azurerm release in AzureProvenVersions, against the trimmed
// copy of that release's real schema in internal/schemaprovider/testdata.
// `terraform init` installs the release from a mirror that holds only it,
// so the test also fails if the module's version constraint excludes a
// proven release.
func TestValidateAzureModuleAgainstTheRealAzurermSchema(t *testing.T) {
	for _, version := range AzureProvenVersions {
		t.Run("azurerm-"+version, func(t *testing.T) {
			ws := newAzureWorkspace(t, version, false)
			cmd := exec.Command(ws.tf, "validate", "-json")
			cmd.Dir = ws.dir
			cmd.Env = append(os.Environ(), ws.env...)
			out, _ := cmd.Output()
			var result tfjson.ValidateOutput
			if err := json.Unmarshal(out, &result); err != nil {
				t.Fatalf("terraform validate -json: %v\n%s", err, out)
			}
			for _, d := range result.Diagnostics {
				t.Errorf("%s: %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Range)
			}
			if !result.Valid {
				t.Errorf("terraform validate: the module is not valid against the hashicorp/azurerm %s schema", version)
			}
		})
	}
}

// azurePlan plans the module with vars and returns the plan.
func (ws *azureWorkspace) plan(t *testing.T, name string, vars map[string]any) *tfjson.Plan {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), "plan")
	mustRun(t, ws.dir, ws.env, ws.tf, "plan", "-input=false", "-lock=false", "-var-file="+varFile(t, name, vars), "-out="+planFile)
	out := mustRun(t, ws.dir, ws.env, ws.tf, "show", "-json", planFile)
	var plan tfjson.Plan
	if err := json.Unmarshal(out, &plan); err != nil {
		t.Fatal(err)
	}
	return &plan
}

// TestPlanAzureModuleWithRealBlueprints plans the module with real
// blueprints through the real Terraform and the schema provider's plan
// mode, so that every expression is evaluated on real values, and checks
// the planned resources against what the blueprint says, computed here
// without the module: which resources exist under which keys, every
// network security group rule whole, every role assignment on its scope
// with its role, the federated credentials, the keys' rotation, the
// storage accounts, the cluster and its pools, the diagnostics, the flow
// log and the alerts.
func TestPlanAzureModuleWithRealBlueprints(t *testing.T) {
	version := AzureProvenVersions[len(AzureProvenVersions)-1]
	ws := newAzureWorkspace(t, version, true)
	samples := azureSampleVars(t)
	// The samples exercise every part the module builds on.
	var flowRules, spot, regular, probes, humans int
	for _, vars := range samples {
		for _, r := range vars["boundary"].(blueprint.Boundary).FirewallRules {
			if r.Layer == blueprint.LayerNSG {
				flowRules++
			}
		}
		bp := vars["blueprint"].(blueprint.Blueprint)
		for _, p := range bp.NodePools {
			if p.Spot {
				spot++
			} else {
				regular++
			}
		}
		for _, r := range bp.FirewallRules {
			if r.PeerService != nil {
				probes++
			}
		}
		for _, ps := range vars["human_principals"].(map[string][]string) {
			humans += len(ps)
		}
	}
	if flowRules == 0 || spot == 0 || regular == 0 || probes == 0 || humans < 2 {
		t.Fatalf("the samples have %d boundary NSG rules, %d spot and %d regular pools, %d service-tag rules and %d human principals: they no longer exercise the module",
			flowRules, spot, regular, probes, humans)
	}
	for name, vars := range samples {
		t.Run(name, func(t *testing.T) {
			plan := ws.plan(t, name, vars)
			bp := vars["blueprint"].(blueprint.Blueprint)
			bd := vars["boundary"].(blueprint.Boundary)
			checkAzurePlan(t, plan.PlannedValues.RootModule, bp, bd, vars["human_principals"].(map[string][]string))
			if got := plan.PlannedValues.Outputs["registry_grants"]; got == nil || !reflect.DeepEqual(got.Value, []any{}) {
				t.Errorf("output registry_grants: %#v, want [] (no Azure boundary grants a registry)", got)
			}
		})
	}
}

// azureAssignment is a role assignment the plan must hold, with the
// principal it is for: an identity's key, or an Entra object ID.
type azureAssignment struct {
	blueprint.RoleBinding
	principal string // "" for the identity named by Member
}

// azureAssignmentsOf is every role assignment of a blueprint and its
// boundary, as the blueprint has them (without human principals).
func azureAssignmentsOf(bp blueprint.Blueprint, bd blueprint.Boundary) []blueprint.RoleBinding {
	var out []blueprint.RoleBinding
	for _, id := range azureIdentitiesOf(bp, bd) {
		out = append(out, id.Azure.RoleAssignments...)
	}
	for _, k := range bp.Keys {
		out = append(out, k.Azure.RoleAssignments...)
	}
	return out
}

// azureIdentitiesOf is the blueprint's identities and the boundary's with
// an Azure part.
func azureIdentitiesOf(bp blueprint.Blueprint, bd blueprint.Boundary) []blueprint.Identity {
	ids := slices.Clone(bp.Identities)
	for _, id := range bd.Identities {
		if id.Azure != nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// nsgSide is what the plan must hold for one side of an NSG rule: the
// prefix, or the prefixes.
type nsgSide struct {
	prefix   any
	prefixes []string
}

// checkAzurePlan compares a module's planned resources with what the
// blueprint, the boundary and the human principals say.
func checkAzurePlan(t *testing.T, module *tfjson.StateModule, bp blueprint.Blueprint, bd blueprint.Boundary, humans map[string][]string) {
	res := plannedResources(module)
	keys := func(typ string, want []string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		sort.Strings(want)
		if got := keysOf(res[typ]); !slices.Equal(got, want) {
			t.Errorf("%s: planned %v, the blueprint has %v", typ, got, want)
		}
	}
	check := func(what, attribute string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s is %#v, want %#v", what, attribute, got, want)
		}
	}
	block := func(r map[string]any, name string) map[string]any {
		t.Helper()
		list, ok := r[name].([]any)
		if !ok || len(list) != 1 {
			t.Errorf("block %s: %#v, want one", name, r[name])
			return map[string]any{}
		}
		return list[0].(map[string]any)
	}
	tags := map[string]any{}
	for k, v := range bp.Tags {
		tags[k] = v
	}
	for _, single := range keysOf(azureSingletons) {
		keys(single, []string{""})
		if r := res[single][""]; r != nil {
			if _, tagged := r["tags"]; tagged {
				check(single, "tags", r["tags"], tags)
			}
		}
	}
	rg := res["azurerm_resource_group.this"][""]
	check("resource group", "name", rg["name"], bp.Network.Azure.ResourceGroup)
	check("resource group", "location", rg["location"], bp.Region)

	// Network.
	vnet := res["azurerm_virtual_network.this"][""]
	check("vnet", "name", vnet["name"], bp.Network.Name)
	check("vnet", "address_space", sortedStrings(vnet["address_space"]), sortedCopy(bp.Network.Azure.AddressSpace))
	var subnets, nsgs, zones, endpoints []string
	subnetOfPurpose := map[string]string{}
	for _, s := range bp.Network.Subnets {
		subnets = append(subnets, s.Key)
		subnetOfPurpose[s.Purpose] = s.Key
		if got := res["azurerm_subnet.this"][s.Key]; got != nil {
			check("subnet "+s.Key, "address_prefixes", got["address_prefixes"], []any{s.CIDR})
			check("subnet "+s.Key, "default_outbound_access_enabled", got["default_outbound_access_enabled"], false)
			check("subnet "+s.Key, "private_endpoint_network_policies", got["private_endpoint_network_policies"], "Enabled")
		}
	}
	nsgName := map[string]string{}
	for _, g := range bp.Network.Azure.SecurityGroups {
		nsgs = append(nsgs, g.Key)
		nsgName[g.SubnetPurpose] = g.Name
		if got := res["azurerm_network_security_group.this"][g.Key]; got != nil {
			check("nsg "+g.Key, "name", got["name"], g.Name)
		}
	}
	for _, e := range bp.Network.Azure.PrivateEndpoints {
		endpoints = append(endpoints, e.Key)
		if !slices.Contains(zones, e.DNSZone) {
			zones = append(zones, e.DNSZone)
		}
		if got := res["azurerm_private_endpoint.this"][e.Key]; got != nil {
			check("private endpoint "+e.Key, "name", got["name"], e.Name)
			psc := block(got, "private_service_connection")
			check("private endpoint "+e.Key, "subresource_names", psc["subresource_names"], []any{e.Subresource})
			check("private endpoint "+e.Key, "is_manual_connection", psc["is_manual_connection"], false)
			if _, ok := got["private_dns_zone_group"].([]any); !ok {
				t.Errorf("private endpoint %s has no DNS zone group", e.Key)
			}
		}
	}
	keys("azurerm_subnet.this", subnets)
	keys("azurerm_subnet_network_security_group_association.this", subnets)
	keys("azurerm_network_security_group.this", nsgs)
	keys("azurerm_private_dns_zone.this", zones)
	keys("azurerm_private_dns_zone_virtual_network_link.this", zones)
	keys("azurerm_private_endpoint.this", endpoints)
	// The one way out: the NAT gateway of the workload subnets, from one
	// static Standard address.
	egress := bp.Network.Azure.Egress
	var egressSubnets []string
	for _, s := range bp.Network.Subnets {
		if s.Purpose == egress.SubnetPurpose {
			egressSubnets = append(egressSubnets, s.Key)
		}
	}
	keys("azurerm_subnet_nat_gateway_association.egress", egressSubnets)
	check("nat gateway", "name", res["azurerm_nat_gateway.egress"][""]["name"], egress.NATGateway)
	ip := res["azurerm_public_ip.egress"][""]
	check("public ip", "name", ip["name"], egress.PublicIP)
	check("public ip", "allocation_method", ip["allocation_method"], "Static")
	check("public ip", "sku", ip["sku"], "Standard")
	for _, z := range zones {
		if got := res["azurerm_private_dns_zone_virtual_network_link.this"][z]; got != nil {
			check("dns link "+z, "registration_enabled", got["registration_enabled"], false)
		}
	}

	// Network security group rules, whole.
	protocols := map[string]string{"tcp": "Tcp", "udp": "Udp", "icmp": "Icmp", blueprint.ProtocolAll: "*"}
	var ruleKeys []string
	for _, r := range append(slices.Clone(bp.FirewallRules), bd.FirewallRules...) {
		if r.Layer != blueprint.LayerNSG {
			continue
		}
		for _, target := range r.Targets {
			key := r.Key
			if len(r.Targets) > 1 {
				key += "-" + target
			}
			ruleKeys = append(ruleKeys, key)
			got := res["azurerm_network_security_rule.this"][key]
			if got == nil {
				continue
			}
			what := "nsg rule " + key
			ports := "*"
			if r.FromPort != nil {
				ports = fmt.Sprint(*r.FromPort)
				if *r.ToPort != *r.FromPort {
					ports += fmt.Sprintf("-%d", *r.ToPort)
				}
			}
			peer := nsgSide{prefixes: sortedCopy(r.CIDRs)}
			if r.CIDRs == nil {
				peer = nsgSide{prefix: *r.PeerService}
			}
			own := nsgSide{prefix: "*"}
			source, destination, direction := peer, own, "Inbound"
			if r.Direction == blueprint.Egress {
				source, destination, direction = own, peer, "Outbound"
			}
			access := map[string]string{blueprint.Allow: "Allow", blueprint.Deny: "Deny"}[r.Action]
			check(what, "network_security_group_name", got["network_security_group_name"], nsgName[target])
			check(what, "name", got["name"], key)
			check(what, "priority", got["priority"], float64(*r.Priority))
			check(what, "direction", got["direction"], direction)
			check(what, "access", got["access"], access)
			check(what, "protocol", got["protocol"], protocols[r.Protocol])
			check(what, "source_port_range", got["source_port_range"], "*")
			check(what, "destination_port_range", got["destination_port_range"], ports)
			check(what, "source_address_prefix", got["source_address_prefix"], source.prefix)
			check(what, "source_address_prefixes", sortedStrings(got["source_address_prefixes"]), source.prefixes)
			check(what, "destination_address_prefix", got["destination_address_prefix"], destination.prefix)
			check(what, "destination_address_prefixes", sortedStrings(got["destination_address_prefixes"]), destination.prefixes)
		}
	}
	keys("azurerm_network_security_rule.this", ruleKeys)
	if len(ruleKeys) < 8 {
		t.Fatalf("only %d NSG rules: the sample no longer exercises the firewall", len(ruleKeys))
	}

	// Identities, role assignments and federated credentials.
	ids := azureIdentitiesOf(bp, bd)
	var idKeys, ci, workload []string
	for _, id := range ids {
		idKeys = append(idKeys, id.Key)
		if got := res["azurerm_user_assigned_identity.this"][id.Key]; got != nil {
			check("identity "+id.Key, "name", got["name"], id.Name)
		}
		if f := id.Azure.Federation; f != nil {
			ci = append(ci, id.Key)
			if got := res["azurerm_federated_identity_credential.ci"][id.Key]; got != nil {
				check("ci credential "+id.Key, "issuer", got["issuer"], f.Issuer)
				check("ci credential "+id.Key, "subject", got["subject"], f.Subject)
				check("ci credential "+id.Key, "audience", got["audience"], []any{f.Audience})
			}
		}
		if s := id.Azure.WorkloadSubject; s != nil {
			workload = append(workload, id.Key)
			if got := res["azurerm_federated_identity_credential.workload"][id.Key]; got != nil {
				check("workload credential "+id.Key, "subject", got["subject"], *s)
				check("workload credential "+id.Key, "audience", got["audience"], []any{blueprint.AzureTokenAudience})
			}
		}
	}
	keys("azurerm_user_assigned_identity.this", idKeys)
	keys("azurerm_federated_identity_credential.ci", ci)
	keys("azurerm_federated_identity_credential.workload", workload)
	if len(ci) == 0 || len(workload) == 0 {
		t.Errorf("the sample has %d CI and %d workload credentials: it no longer exercises federation", len(ci), len(workload))
	}
	byScope := map[string]map[string]azureAssignment{}
	add := func(a azureAssignment, key string) {
		if byScope[a.Scope] == nil {
			byScope[a.Scope] = map[string]azureAssignment{}
		}
		if _, dup := byScope[a.Scope][key]; dup {
			t.Fatalf("role assignment key %s twice", key)
		}
		byScope[a.Scope][key] = a
	}
	for _, b := range azureAssignmentsOf(bp, bd) {
		add(azureAssignment{RoleBinding: b}, b.Key)
	}
	for _, id := range ids {
		for _, p := range humans[id.Key] {
			if !id.Human {
				t.Fatalf("the sample gives principals to %s, which is not a human identity", id.Key)
			}
			for _, b := range id.Azure.RoleAssignments {
				add(azureAssignment{RoleBinding: b, principal: p}, b.Key+"/"+p)
			}
		}
	}
	for _, scope := range azureScopes {
		typ := "azurerm_role_assignment." + scope
		keys(typ, keysOf(byScope[scope]))
		for k, a := range byScope[scope] {
			got := res[typ][k]
			if got == nil {
				continue
			}
			check(typ+"["+k+"]", "role_definition_name", got["role_definition_name"], a.Role)
			if a.principal != "" {
				check(typ+"["+k+"]", "principal_id", got["principal_id"], a.principal)
				check(typ+"["+k+"]", "principal_type", got["principal_type"], nil)
			} else {
				check(typ+"["+k+"]", "principal_type", got["principal_type"], "ServicePrincipal")
			}
			if strings.Contains(a.Role, "Owner") || a.Role == "Contributor" {
				t.Errorf("%s[%s] assigns %s", typ, k, a.Role)
			}
		}
	}
	if len(byScope[blueprint.ScopeKey]) < 5 || len(byScope[blueprint.ScopeBucket]) < 3 {
		t.Fatalf("%d key and %d bucket assignments: the sample no longer exercises the role assignments", len(byScope[blueprint.ScopeKey]), len(byScope[blueprint.ScopeBucket]))
	}
	keys("azurerm_role_assignment.key_vault_officer", []string{"apply"})
	check("key vault officer", "role_definition_name", res["azurerm_role_assignment.key_vault_officer"]["apply"]["role_definition_name"], "Key Vault Crypto Officer")

	// Key vault and keys.
	kv := res["azurerm_key_vault.this"][""]
	window := 0
	var keyKeys []string
	for _, k := range bp.Keys {
		window = max(window, k.DeletionWindowDays)
		keyKeys = append(keyKeys, k.Key)
		got := res["azurerm_key_vault_key.this"][k.Key]
		if got == nil {
			continue
		}
		check("key "+k.Key, "name", got["name"], k.Name)
		rp := block(got, "rotation_policy")
		check("key "+k.Key, "rotation_policy.automatic", rp["automatic"], []any{map[string]any{"time_after_creation": fmt.Sprintf("P%dD", k.RotationPeriodDays), "time_before_expiry": nil}})
		check("key "+k.Key, "rotation_policy.expire_after", rp["expire_after"], fmt.Sprintf("P%dD", k.RotationPeriodDays+keyExpiryGraceDays))
	}
	keys("azurerm_key_vault_key.this", keyKeys)
	check("key vault", "name", kv["name"], bp.Keys[0].Azure.KeyVault)
	check("key vault", "soft_delete_retention_days", kv["soft_delete_retention_days"], float64(window))
	for attr, want := range map[string]any{"rbac_authorization_enabled": true, "purge_protection_enabled": true, "public_network_access_enabled": false} {
		check("key vault", attr, kv[attr], want)
	}
	check("key vault", "network_acls.default_action", block(kv, "network_acls")["default_action"], "Deny")

	// Storage.
	var buckets, locks []string
	for _, b := range bp.Buckets {
		buckets = append(buckets, b.Key)
		locks = append(locks, "bucket-"+b.Key)
		if got := res["azurerm_storage_container.this"][b.Key]; got != nil {
			check("container "+b.Key, "name", got["name"], b.Purpose)
			check("container "+b.Key, "container_access_type", got["container_access_type"], "private")
		}
		got := res["azurerm_storage_account.this"][b.Key]
		if got == nil {
			continue
		}
		check("storage "+b.Key, "name", got["name"], b.Azure.StorageAccount)
		for attr, want := range map[string]any{
			"public_network_access_enabled": false, "shared_access_key_enabled": false, "allow_nested_items_to_be_public": false,
			"min_tls_version": "TLS1_2", "infrastructure_encryption_enabled": true, "https_traffic_only_enabled": true,
		} {
			check("storage "+b.Key, attr, got[attr], want)
		}
		check("storage "+b.Key, "network_rules.default_action", block(got, "network_rules")["default_action"], "Deny")
		check("storage "+b.Key, "identity.type", block(got, "identity")["type"], "UserAssigned")
	}
	keys("azurerm_storage_account.this", buckets)
	keys("azurerm_storage_container.this", buckets)
	keys("azurerm_management_lock.this", append(locks, "flow_logs", "key_vault", "logs"))
	fls := res["azurerm_storage_account.flow_logs"][""]
	check("flow-log storage", "name", fls["name"], bp.Monitoring.Azure.FlowLogStorage)
	check("flow-log storage", "shared_access_key_enabled", fls["shared_access_key_enabled"], false)
	check("flow-log storage", "network_rules", block(fls, "network_rules")["default_action"], "Deny")

	// Registry, cluster and pools.
	check("registry", "name", res["azurerm_container_registry.this"][""]["name"], bp.Cluster.Azure.BootstrapRegistry)
	check("registry", "public_network_access_enabled", res["azurerm_container_registry.this"][""]["public_network_access_enabled"], false)
	aks := res["azurerm_kubernetes_cluster.this"][""]
	for attr, want := range map[string]any{
		"name": bp.Cluster.Name, "kubernetes_version": bp.Cluster.KubernetesVersion, "private_cluster_enabled": true,
		"private_cluster_public_fqdn_enabled": false, "local_account_disabled": true, "oidc_issuer_enabled": true,
		"workload_identity_enabled": true,
	} {
		check("cluster", attr, aks[attr], want)
	}
	np := block(aks, "network_profile")
	for attr, want := range map[string]any{
		"network_plugin": bp.Cluster.Azure.NetworkPlugin, "network_plugin_mode": "overlay", "network_policy": bp.Cluster.Azure.NetworkPolicy,
		"network_data_plane": "cilium", "pod_cidr": bp.Cluster.Azure.PodCIDR, "service_cidr": bp.Cluster.Azure.ServiceCIDR,
		"dns_service_ip": bp.Cluster.Azure.DNSServiceIP, "outbound_type": bp.Cluster.Azure.OutboundType,
	} {
		check("cluster network_profile", attr, np[attr], want)
	}
	check("cluster", "bootstrap_profile.artifact_source", block(aks, "bootstrap_profile")["artifact_source"], "Cache")
	check("cluster", "key_management_service.key_vault_network_access", block(aks, "key_management_service")["key_vault_network_access"], "Private")
	check("cluster", "azure_rbac_enabled", block(aks, "azure_active_directory_role_based_access_control")["azure_rbac_enabled"], true)
	check("cluster", "node_provisioning_profile", block(aks, "node_provisioning_profile"), map[string]any{"mode": "Manual", "default_node_pools": "None"})
	dnp := block(aks, "default_node_pool")
	check("cluster default pool", "zones", sortedStrings(dnp["zones"]), sortedCopy(bp.Network.Zones))
	check("cluster default pool", "host_encryption_enabled", dnp["host_encryption_enabled"], true)
	check("cluster default pool", "only_critical_addons_enabled", dnp["only_critical_addons_enabled"], true)
	var pools []string
	effects := map[string]string{"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}
	for _, p := range bp.NodePools {
		pools = append(pools, p.Key)
		got := res["azurerm_kubernetes_cluster_node_pool.this"][p.Key]
		if got == nil {
			continue
		}
		what := "node pool " + p.Key
		var taints []any
		labels := map[string]any{}
		for k, v := range p.Labels {
			labels[k] = v
		}
		for _, tn := range p.Taints {
			taints = append(taints, fmt.Sprintf("%s=%s:%s", tn.Key, tn.Value, effects[tn.Effect]))
		}
		var eviction any
		if p.Spot {
			taints = append(taints, spotTaint)
			labels[spotLabel] = "spot"
			eviction = "Delete"
		}
		// Any price up to on-demand (-1) for spot; a regular pool sets none,
		// which the real provider plans as its default, -1.
		if price := got["spot_max_price"]; (p.Spot || price != nil) && price != float64(-1) {
			t.Errorf("%s: spot_max_price is %v, want -1", what, price)
		}
		for attr, want := range map[string]any{
			"name": p.Azure.Name, "vm_size": p.MachineType, "min_count": float64(p.MinSize), "max_count": float64(p.MaxSize),
			"node_count": float64(p.DesiredSize), "priority": p.Azure.Priority, "eviction_policy": eviction,
			"host_encryption_enabled": p.Azure.HostEncryption, "os_disk_type": p.Azure.OSDiskType, "os_disk_size_gb": float64(p.DiskGiB),
			"node_taints": taints, "node_labels": labels, "mode": "User", "auto_scaling_enabled": true,
		} {
			check(what, attr, got[attr], want)
		}
		check(what, "zones", sortedStrings(got["zones"]), sortedCopy(bp.Network.Zones))
		us, _ := got["upgrade_settings"].([]any)
		if want := map[bool]int{true: 0, false: 1}[p.Spot]; len(us) != want {
			t.Errorf("%s: %d upgrade_settings blocks, want %d (spot pools take none)", what, len(us), want)
		}
	}
	keys("azurerm_kubernetes_cluster_node_pool.this", pools)

	// Monitoring.
	law := res["azurerm_log_analytics_workspace.this"][""]
	check("workspace", "name", law["name"], bp.Monitoring.Azure.Workspace)
	check("workspace", "retention_in_days", law["retention_in_days"], float64(max(30, bp.Monitoring.RetentionDays)))
	keys("azurerm_monitor_diagnostic_setting.this", bp.Monitoring.Azure.DiagnosticsFrom)
	for _, from := range bp.Monitoring.Azure.DiagnosticsFrom {
		got := res["azurerm_monitor_diagnostic_setting.this"][from]
		if got == nil {
			continue
		}
		want := []any{map[string]any{"category": nil, "category_group": "allLogs"}}
		if strings.HasPrefix(from, nsgDiagnosticsPrefix) {
			want = nil
			for _, c := range nsgLogCategories {
				want = append(want, map[string]any{"category": c, "category_group": nil})
			}
		}
		check("diagnostics "+from, "enabled_log", sortedLogs(got["enabled_log"]), want)
	}
	fl := res["azurerm_network_watcher_flow_log.this"][""]
	days := bp.Monitoring.RetentionDays
	if days > 365 {
		days = 0
	}
	check("flow log", "name", fl["name"], bp.Monitoring.Azure.FlowLogName)
	check("flow log", "network_watcher_name", fl["network_watcher_name"], "NetworkWatcher_"+bp.Region)
	check("flow log", "resource_group_name", fl["resource_group_name"], "NetworkWatcherRG")
	check("flow log", "version", fl["version"], float64(2))
	check("flow log", "retention_policy", fl["retention_policy"], []any{map[string]any{"enabled": true, "days": float64(days)}})
	var alerts []string
	for _, a := range bp.Monitoring.Alarms {
		for _, op := range a.Azure.OperationNames {
			k := a.Key + "/" + op
			alerts = append(alerts, k)
			if got := res["azurerm_monitor_activity_log_alert.this"][k]; got != nil {
				cr := block(got, "criteria")
				check("alert "+k, "criteria.operation_name", cr["operation_name"], op)
				check("alert "+k, "criteria.category", cr["category"], "Administrative")
				check("alert "+k, "location", got["location"], "global")
			}
		}
	}
	keys("azurerm_monitor_activity_log_alert.this", alerts)
}

// sortedCopy is a sorted copy of a list of strings, or nil for nil.
func sortedCopy(s []string) []string {
	if s == nil {
		return nil
	}
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

// sortedLogs is a diagnostic setting's enabled_log blocks, sorted, with an
// empty category or group as null (the real provider plans "" for an
// argument of a set's block that the configuration leaves null).
func sortedLogs(v any) []any {
	list, _ := v.([]any)
	out := make([]any, 0, len(list))
	for _, l := range list {
		m := map[string]any{}
		for k, x := range l.(map[string]any) {
			if x == "" {
				x = nil
			}
			m[k] = x
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

// TestAzureModuleRefusesBadInputs: the variables' validations stop a plan
// with a key of human_principals that is not a human identity, a principal
// that is not an object ID, a blueprint of another cloud or with a
// retention Log Analytics cannot keep, and a subscription ID that is not a
// GUID.
func TestAzureModuleRefusesBadInputs(t *testing.T) {
	version := AzureProvenVersions[len(AzureProvenVersions)-1]
	ws := newAzureWorkspace(t, version, true)
	good := azureSampleVars(t)["dev"]
	blueprintWith := func(change func(*blueprint.Blueprint)) func(map[string]any) {
		return func(v map[string]any) {
			bp := v["blueprint"].(blueprint.Blueprint)
			change(&bp)
			v["blueprint"] = bp
		}
	}
	for name, tc := range map[string]struct {
		change func(map[string]any)
		want   string
	}{
		"a workload identity for people": {func(v map[string]any) {
			v["human_principals"] = map[string][]string{blueprint.RoleTraining: {azureSamplePrincipal(1)}}
		}, "must be the key of a human identity"},
		"an email for an object ID": {func(v map[string]any) {
			v["human_principals"] = map[string][]string{blueprint.RoleAuditor: {"auditors@acme.example"}}
		}, "every principal an Entra"},
		"a Google Cloud blueprint":      {blueprintWith(func(bp *blueprint.Blueprint) { bp.Cloud = "gcp" }), "builds Azure environments"},
		"a subscription that is a name": {blueprintWith(func(bp *blueprint.Blueprint) { bp.AccountID = "acme-ml-dev" }), "a GUID in lower case"},
		"ten years of logs":             {blueprintWith(func(bp *blueprint.Blueprint) { bp.Monitoring.RetentionDays = 3650 }), "at most 730 days"},
		"a scope the module does not know": {blueprintWith(func(bp *blueprint.Blueprint) {
			bp.Identities = slices.Clone(bp.Identities)
			id := *bp.Identities[0].Azure
			id.RoleAssignments = append(slices.Clone(id.RoleAssignments), blueprint.RoleBinding{Key: "x", Role: "Reader", Scope: "subscription", Member: bp.Identities[0].Key})
			bp.Identities[0].Azure = &id
		}), "does not know"},
		"a deletion window Key Vault cannot keep": {blueprintWith(func(bp *blueprint.Blueprint) {
			bp.Keys = slices.Clone(bp.Keys)
			bp.Keys[0].DeletionWindowDays = 3
		}), "7 to 90 days"},
		"a key in another vault": {blueprintWith(func(bp *blueprint.Blueprint) {
			bp.Keys = slices.Clone(bp.Keys)
			k := *bp.Keys[1].Azure
			k.KeyVault = "acme-other-kv"
			bp.Keys[1].Azure = &k
		}), "one key vault"},
	} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]any{}
			for k, v := range good {
				vars[k] = v
			}
			tc.change(vars)
			cmd := exec.Command(ws.tf, "plan", "-input=false", "-lock=false", "-var-file="+varFile(t, "bad", vars))
			cmd.Dir = ws.dir
			cmd.Env = append(os.Environ(), ws.env...)
			out, err := cmd.CombinedOutput()
			flat := strings.Join(strings.Fields(string(out)), " ")
			if err == nil || !strings.Contains(flat, tc.want) {
				t.Errorf("terraform plan: %v, want a failure saying %q:\n%s", err, tc.want, out)
			}
		})
	}
}
