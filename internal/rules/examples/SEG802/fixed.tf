resource "kubernetes_namespace_v1" "dev_training" {
  metadata {
    name = "dev-training"
    labels = {
      "segmented.io/environment"           = "dev"
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }
}

resource "kubernetes_role_v1" "trainer" {
  metadata {
    name      = "trainer"
    namespace = kubernetes_namespace_v1.dev_training.metadata[0].name
  }

  rule {
    api_groups = ["batch"]
    resources  = ["jobs"]
    verbs      = ["get", "list", "watch", "create", "delete"]
  }

  rule {
    api_groups = [""]
    resources  = ["pods", "pods/log"]
    verbs      = ["get", "list", "watch"]
  }
}
