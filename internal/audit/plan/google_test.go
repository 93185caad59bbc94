package plan_test

import (
	"net/netip"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
)

var (
	gNetProd = res{addr: "google_compute_network.prod", values: map[string]any{"name": "prod", "project": "acme-prod"}, unknown: map[string]any{"id": true, "self_link": true}}
	gNetDev  = res{addr: "google_compute_network.dev", values: map[string]any{"name": "dev", "project": "acme-dev"}, unknown: map[string]any{"id": true, "self_link": true}}
	gSubDev  = res{addr: "google_compute_subnetwork.dev", values: map[string]any{"name": "dev-a", "project": "acme-dev", "ip_cidr_range": "10.1.0.0/20"}}
	gSAdev   = res{addr: "google_service_account.dev_trainer", values: map[string]any{"account_id": "trainer", "project": "acme-dev"}, unknown: map[string]any{"email": true, "id": true, "name": true}}
	gKeyProd = res{addr: "google_kms_crypto_key.prod", values: map[string]any{"name": "data", "labels": map[string]any{"environment": "prod"}}, unknown: map[string]any{"id": true, "key_ring": true}}
)

func TestGoogleFirewall(t *testing.T) {
	f := factsOf(t, gNetProd, gSubDev,
		res{addr: "google_service_account.notebook", values: map[string]any{"email": "notebook@acme-dev.iam.gserviceaccount.com", "project": "acme-dev"}},
		res{addr: "google_compute_instance.notebook", values: map[string]any{"name": "nb", "tags": []any{"notebook"}}},
		res{
			addr: "google_compute_firewall.ingress",
			values: map[string]any{
				"direction": "INGRESS", "name": "in", "priority": nil, "network": "prod",
				"allow": []any{
					map[string]any{"protocol": "tcp", "ports": []any{"22", "8000-8080"}},
					map[string]any{"protocol": "icmp", "ports": []any{}},
				},
				"deny":                    []any{map[string]any{"protocol": "all", "ports": []any{}}},
				"source_ranges":           []any{"10.1.0.0/16", "0.0.0.0/0"},
				"source_tags":             []any{"notebook", "bastion"},
				"source_service_accounts": nil,
			},
			unknown: map[string]any{"destination_ranges": true, "id": true},
			expr:    map[string]any{"network": refTo("google_compute_network.prod", "name")},
		},
		res{
			addr:    "google_compute_firewall.by_account",
			values:  map[string]any{"direction": "INGRESS", "priority": 900, "network": "prod", "allow": []any{map[string]any{"protocol": "6", "ports": []any{"443"}}}, "deny": []any{}, "source_service_accounts": []any{"notebook@acme-dev.iam.gserviceaccount.com"}},
			unknown: map[string]any{"destination_ranges": true},
			expr:    map[string]any{"network": refTo("google_compute_network.prod", "name")},
		},
		// Egress that writes no destination ranges: Google's default, every
		// address, which is recorded as no peer and is no blind spot.
		res{
			addr:    "google_compute_firewall.egress_default",
			values:  map[string]any{"direction": "EGRESS", "network": "prod", "allow": []any{map[string]any{"protocol": "udp", "ports": []any{"53"}}}, "deny": []any{}},
			unknown: map[string]any{"destination_ranges": true},
			expr:    map[string]any{"network": refTo("google_compute_network.prod", "name")},
		},
		// Egress towards a subnetwork's range, unknown at plan: the
		// subnetwork explains it.
		res{
			addr:    "google_compute_firewall.egress_ref",
			values:  map[string]any{"direction": "EGRESS", "network": "prod", "allow": []any{map[string]any{"protocol": "tcp", "ports": []any{"443"}}}, "deny": []any{}},
			unknown: map[string]any{"destination_ranges": true},
			expr:    map[string]any{"network": refTo("google_compute_network.prod", "name"), "destination_ranges": refTo("google_compute_subnetwork.dev", "ip_cidr_range")},
		},
		// Sources unknown at plan that nothing audited explains.
		res{
			addr:    "google_compute_firewall.blind",
			values:  map[string]any{"direction": "INGRESS", "network": "prod", "allow": []any{map[string]any{"protocol": "tcp", "ports": []any{"443"}}}, "deny": []any{}},
			unknown: map[string]any{"source_ranges": true},
			expr:    map[string]any{"network": refTo("google_compute_network.prod", "name"), "source_ranges": refTo("terraform_data.ranges", "output")},
		},
		res{
			addr:   "google_compute_firewall.disabled",
			values: map[string]any{"disabled": true, "network": "prod", "allow": []any{map[string]any{"protocol": "all"}}, "source_ranges": []any{"10.1.0.0/16"}},
		},
	)
	owner := audit.Ref{Address: "google_compute_network.prod", Value: "prod"}
	peers := prefixes("10.1.0.0/16") // 0.0.0.0/0 means anyone, not a range of an environment
	groups := []audit.Ref{{Address: "google_compute_instance.notebook", Value: "notebook"}, {Value: "bastion"}}
	check(t, "ingress", rulesOf(f, "google_compute_firewall.ingress"), []rule{
		{"google_compute_firewall.ingress", "allow[0]", "ingress", "tcp", 22, 22, owner, peers, groups, false, 1000},
		{"google_compute_firewall.ingress", "allow[0]", "ingress", "tcp", 8000, 8080, owner, peers, groups, false, 1000},
		{"google_compute_firewall.ingress", "allow[1]", "ingress", "icmp", 0, 65535, owner, peers, groups, false, 1000},
		{"google_compute_firewall.ingress", "deny[0]", "ingress", "all", 0, 65535, owner, peers, groups, true, 1000},
	})
	check(t, "by service account", rulesOf(f, "google_compute_firewall.by_account"), []rule{
		{"google_compute_firewall.by_account", "allow[0]", "ingress", "tcp", 443, 443, owner, nil,
			[]audit.Ref{{Address: "google_service_account.notebook", Value: "notebook@acme-dev.iam.gserviceaccount.com"}}, false, 900},
	})
	check(t, "egress default", rulesOf(f, "google_compute_firewall.egress_default"), []rule{
		{"google_compute_firewall.egress_default", "allow[0]", "egress", "udp", 53, 53, owner, nil, nil, false, 1000},
	})
	check(t, "egress by reference", rulesOf(f, "google_compute_firewall.egress_ref"), []rule{
		{"google_compute_firewall.egress_ref", "allow[0]", "egress", "tcp", 443, 443, owner, nil, []audit.Ref{{Address: "google_compute_subnetwork.dev"}}, false, 1000},
	})
	check(t, "disabled", len(rulesOf(f, "google_compute_firewall.disabled")), 0)
	check(t, "blind", blindOf(f), []string{"google_compute_firewall.blind source_ranges SEG701"})
}

func TestGooglePeeringAndRoutes(t *testing.T) {
	f := factsOf(t, gNetProd, gNetDev, gSubDev,
		res{
			addr:    "google_compute_network_peering.prod_dev",
			values:  map[string]any{"name": "prod-dev"},
			unknown: map[string]any{"network": true, "peer_network": true},
			expr:    map[string]any{"network": refTo("google_compute_network.prod", "self_link"), "peer_network": refTo("google_compute_network.dev", "self_link")},
		},
		res{
			addr: "google_compute_route.known", values: map[string]any{"dest_range": "10.1.0.0/16", "network": "prod"},
			expr: map[string]any{"network": refTo("google_compute_network.prod", "name")},
		},
		res{
			addr: "google_compute_route.by_ref", values: map[string]any{"network": "prod"}, unknown: map[string]any{"dest_range": true},
			expr: map[string]any{"network": refTo("google_compute_network.prod", "name"), "dest_range": refTo("google_compute_subnetwork.dev", "ip_cidr_range")},
		},
		res{
			addr: "google_compute_route.blind", values: map[string]any{"network": "prod"}, unknown: map[string]any{"dest_range": true},
			expr: map[string]any{"network": refTo("google_compute_network.prod", "name"), "dest_range": refTo("random_integer.x", "result")},
		},
	)
	prod := audit.Ref{Address: "google_compute_network.prod", Value: "prod"}
	check(t, "peering", linksOf(f, "google_compute_network_peering.prod_dev"), []link{
		{"google_compute_network_peering.prod_dev", "peer_network", audit.Peering, audit.Ref{Address: "google_compute_network.prod"}, audit.Ref{Address: "google_compute_network.dev"}, netip.Prefix{}},
	})
	check(t, "route", linksOf(f, "google_compute_route.known"), []link{
		{"google_compute_route.known", "dest_range", audit.Route, prod, audit.Ref{}, netip.MustParsePrefix("10.1.0.0/16")},
	})
	check(t, "route by reference", linksOf(f, "google_compute_route.by_ref"), []link{
		{"google_compute_route.by_ref", "dest_range", audit.Route, prod, audit.Ref{}, netip.MustParsePrefix("10.1.0.0/20")},
	})
	check(t, "blind", blindOf(f), []string{"google_compute_route.blind dest_range SEG702"})
}

func TestGoogleIAM(t *testing.T) {
	f := factsOf(t, gSAdev, gKeyProd,
		res{addr: "google_service_account.prod_app", values: map[string]any{"email": "app@acme-prod.iam.gserviceaccount.com", "project": "acme-prod"}},
		res{addr: "google_storage_bucket.prod", values: map[string]any{"name": "acme-prod-data", "project": "acme-prod"}},
		res{addr: "google_kms_key_ring.prod", values: map[string]any{"name": "prod", "project": "acme-prod"}, unknown: map[string]any{"id": true}},
		res{addr: "google_project_iam_member.viewer", values: map[string]any{"project": "acme-prod", "role": "roles/viewer", "member": "serviceAccount:ci@acme-dev.iam.gserviceaccount.com"}},
		res{addr: "google_project_iam_binding.editors", values: map[string]any{
			"project": "acme-prod", "role": "roles/editor",
			"members": []any{"serviceAccount:app@acme-prod.iam.gserviceaccount.com", "serviceAccount:acme-dev.svc.id.goog[ml/trainer]", "serviceAccount:123456789012-compute@developer.gserviceaccount.com", "group:ml@example.com"},
		}},
		res{
			addr: "google_service_account_iam_member.impersonate", values: map[string]any{"role": "roles/iam.serviceAccountTokenCreator", "member": "user:alice@example.com"},
			unknown: map[string]any{"service_account_id": true},
			expr:    map[string]any{"service_account_id": refTo("google_service_account.prod_app", "name")},
		},
		res{
			addr: "google_kms_crypto_key_iam_member.decrypt", values: map[string]any{"role": "roles/cloudkms.cryptoKeyDecrypter"},
			unknown: map[string]any{"crypto_key_id": true, "member": true},
			expr:    map[string]any{"crypto_key_id": refTo("google_kms_crypto_key.prod", "id"), "member": refTo("google_service_account.dev_trainer", "email")},
		},
		res{
			addr: "google_kms_key_ring_iam_binding.ring", values: map[string]any{"role": "roles/cloudkms.admin", "members": []any{"serviceAccount:app@acme-prod.iam.gserviceaccount.com"}},
			unknown: map[string]any{"key_ring_id": true},
			expr:    map[string]any{"key_ring_id": refTo("google_kms_key_ring.prod", "id")},
		},
		res{
			addr: "google_storage_bucket_iam_binding.public", values: map[string]any{"bucket": "acme-prod-data", "role": "roles/storage.objectViewer", "members": []any{"allUsers"}},
			unknown: map[string]any{"members": []any{false}},
			expr:    map[string]any{"bucket": refTo("google_storage_bucket.prod", "name")},
		},
		// A member computed from what the plan does not audit, and one
		// element of a binding unknown the same way.
		res{
			addr: "google_storage_bucket_iam_member.blind", values: map[string]any{"bucket": "acme-prod-data", "role": "roles/storage.objectViewer"},
			unknown: map[string]any{"member": true},
			expr:    map[string]any{"bucket": refTo("google_storage_bucket.prod", "name"), "member": refTo("terraform_data.who", "output")},
		},
		res{
			addr: "google_project_iam_binding.partly", values: map[string]any{"project": "acme-prod", "role": "roles/viewer", "members": []any{"user:bob@example.com", nil}},
			unknown: map[string]any{"members": []any{false, true}},
			expr:    map[string]any{"members": refTo("random_pet.who", "id")},
		},
	)
	check(t, "project member", grantsOf(f, "google_project_iam_member.viewer"), []grant{{
		"google_project_iam_member.viewer", "member", audit.Access, audit.Ref{Value: "acme-prod"},
		[]audit.Principal{{Text: "serviceAccount:ci@acme-dev.iam.gserviceaccount.com", Account: "acme-dev"}},
	}})
	check(t, "project binding", grantsOf(f, "google_project_iam_binding.editors"), []grant{{
		"google_project_iam_binding.editors", "members", audit.Access, audit.Ref{Value: "acme-prod"},
		[]audit.Principal{
			{Text: "serviceAccount:app@acme-prod.iam.gserviceaccount.com", Account: "acme-prod", Ref: "google_service_account.prod_app"},
			{Text: "serviceAccount:acme-dev.svc.id.goog[ml/trainer]", Account: "acme-dev"},
			{Text: "serviceAccount:123456789012-compute@developer.gserviceaccount.com", Account: "123456789012"},
			{Text: "group:ml@example.com"},
		},
	}})
	check(t, "service account", grantsOf(f, "google_service_account_iam_member.impersonate"), []grant{{
		"google_service_account_iam_member.impersonate", "member", audit.Trust, audit.Ref{Address: "google_service_account.prod_app"},
		[]audit.Principal{{Text: "user:alice@example.com"}},
	}})
	check(t, "crypto key", grantsOf(f, "google_kms_crypto_key_iam_member.decrypt"), []grant{{
		"google_kms_crypto_key_iam_member.decrypt", "member", audit.KeyUse, audit.Ref{Address: "google_kms_crypto_key.prod"},
		[]audit.Principal{{Ref: "google_service_account.dev_trainer"}},
	}})
	check(t, "key ring", grantsOf(f, "google_kms_key_ring_iam_binding.ring"), []grant{{
		"google_kms_key_ring_iam_binding.ring", "members", audit.KeyUse, audit.Ref{Address: "google_kms_key_ring.prod"},
		[]audit.Principal{{Text: "serviceAccount:app@acme-prod.iam.gserviceaccount.com", Account: "acme-prod", Ref: "google_service_account.prod_app"}},
	}})
	check(t, "public bucket", grantsOf(f, "google_storage_bucket_iam_binding.public"), []grant{{
		"google_storage_bucket_iam_binding.public", "members", audit.Storage, audit.Ref{Address: "google_storage_bucket.prod", Value: "acme-prod-data"},
		[]audit.Principal{{Text: "*"}},
	}})
	check(t, "partly known", grantsOf(f, "google_project_iam_binding.partly"), []grant{{
		"google_project_iam_binding.partly", "members", audit.Access, audit.Ref{Value: "acme-prod"},
		[]audit.Principal{{Text: "user:bob@example.com"}},
	}})
	check(t, "blind", blindOf(f), []string{
		"google_project_iam_binding.partly members SEG703",
		"google_storage_bucket_iam_member.blind member SEG706",
	})
}

func TestGoogleKeyUsers(t *testing.T) {
	f := factsOf(t, gKeyProd,
		res{addr: "google_kms_crypto_key.known", values: map[string]any{"id": "projects/acme-prod/locations/eu/keyRings/r/cryptoKeys/k", "name": "k"}},
		res{
			addr:    "google_storage_bucket.dev",
			values:  map[string]any{"name": "acme-dev-models", "encryption": []any{map[string]any{}}},
			unknown: map[string]any{"encryption": []any{map[string]any{"default_kms_key_name": true}}},
			expr:    map[string]any{"encryption": []any{map[string]any{"default_kms_key_name": refTo("google_kms_crypto_key.prod", "id")}}},
		},
		res{
			addr:   "google_compute_disk.data",
			values: map[string]any{"name": "data", "disk_encryption_key": []any{map[string]any{"kms_key_self_link": "projects/acme-prod/locations/eu/keyRings/r/cryptoKeys/k/cryptoKeyVersions/3"}}},
		},
		res{
			addr:   "google_bigquery_dataset.features",
			values: map[string]any{"dataset_id": "features", "default_encryption_configuration": []any{map[string]any{"kms_key_name": "projects/other/locations/eu/keyRings/r/cryptoKeys/x"}}},
		},
		res{
			addr:    "google_container_cluster.dev",
			values:  map[string]any{"name": "dev", "database_encryption": []any{map[string]any{"state": "ENCRYPTED"}}},
			unknown: map[string]any{"database_encryption": []any{map[string]any{"key_name": true}}},
			expr:    map[string]any{"database_encryption": []any{map[string]any{"state": constant("ENCRYPTED"), "key_name": refTo("terraform_data.key", "output")}}},
		},
		res{
			addr:   "google_container_cluster.decrypted",
			values: map[string]any{"name": "plain", "database_encryption": []any{map[string]any{"state": "DECRYPTED", "key_name": ""}}},
		},
		res{addr: "google_storage_bucket.plain", values: map[string]any{"name": "plain", "encryption": []any{}}},
	)
	check(t, "key users", keyUsersOf(f), []string{
		"google_bigquery_dataset.features default_encryption_configuration[0].kms_key_name -> =projects/other/locations/eu/keyRings/r/cryptoKeys/x",
		"google_compute_disk.data disk_encryption_key[0].kms_key_self_link -> google_kms_crypto_key.known",
		"google_storage_bucket.dev encryption[0].default_kms_key_name -> google_kms_crypto_key.prod",
	})
	check(t, "blind", blindOf(f), []string{"google_container_cluster.dev database_encryption[0].key_name SEG705"})
}
