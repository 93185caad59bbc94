resource "kubernetes_namespace_v1" "dev_notebooks" {
  metadata {
    name = "dev-notebooks"
    labels = {
      "segmented.io/environment"           = "dev"
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }
}

resource "kubernetes_namespace_v1" "prod_inference" {
  metadata {
    name = "prod-inference"
    labels = {
      "segmented.io/environment"           = "prod"
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }
}

resource "kubernetes_network_policy_v1" "prod_inference_clients" {
  metadata {
    name      = "allow-clients"
    namespace = kubernetes_namespace_v1.prod_inference.metadata[0].name
  }

  spec {
    pod_selector {}
    policy_types = ["Ingress"]

    ingress {
      from {
        namespace_selector {
          match_labels = {
            "segmented.io/environment" = "prod"
            "segmented.io/purpose"     = "gateway"
          }
        }
      }

      ports {
        port     = "8080"
        protocol = "TCP"
      }
    }
  }
}
