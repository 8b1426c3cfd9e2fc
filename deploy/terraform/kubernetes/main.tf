# Installs Leadgen's Kubernetes manifests (rendered from an overlay of deploy/kubernetes) with the kubernetes
# provider: the namespace, then the Secret and the migration Job, which must complete, then everything else.
# The Secret's values pass through Terraform's state: keep that state encrypted and access-controlled.

locals {
  documents = [
    for document in provider::kubernetes::manifest_decode_multi(var.manifests) : document
    if var.service_monitor || document.kind != "ServiceMonitor"
  ]
  namespaces = { for document in local.documents : document.metadata.name => document if document.kind == "Namespace" }
  resources = {
    for document in local.documents :
    "${document.kind}/${try(document.metadata.namespace, "")}/${document.metadata.name}" => document
    if document.kind != "Namespace"
  }
}

resource "kubernetes_manifest" "namespace" {
  for_each = local.namespaces
  manifest = each.value
}

resource "kubernetes_secret_v1" "leadgen" {
  metadata {
    name      = "leadgen-secrets"
    namespace = var.namespace
    labels = {
      "app.kubernetes.io/name"    = "leadgen"
      "app.kubernetes.io/part-of" = "leadgen"
    }
  }
  data       = var.secrets
  depends_on = [kubernetes_manifest.namespace]
}

# A new job for each image (the name carries its digest): Terraform waits for it before the rollout.
resource "kubernetes_job_v1" "migrate" {
  metadata {
    name      = "leadgen-migrate-${substr(sha256(var.image), 0, 10)}"
    namespace = var.namespace
    labels = {
      "app.kubernetes.io/name"      = "leadgen"
      "app.kubernetes.io/part-of"   = "leadgen"
      "app.kubernetes.io/component" = "migration"
    }
  }
  spec {
    backoff_limit              = 2
    active_deadline_seconds    = 1800
    ttl_seconds_after_finished = 86400
    template {
      metadata {
        labels = {
          "app.kubernetes.io/name"      = "leadgen"
          "app.kubernetes.io/part-of"   = "leadgen"
          "app.kubernetes.io/component" = "migration"
        }
      }
      spec {
        restart_policy                  = "Never"
        automount_service_account_token = false
        enable_service_links            = false
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "migrate"
          image             = var.image
          image_pull_policy = "IfNotPresent"
          args              = ["migrate"]
          env_from {
            secret_ref {
              name = kubernetes_secret_v1.leadgen.metadata[0].name
            }
          }
          resources {
            requests = { cpu = "100m", memory = "128Mi" }
            limits   = { cpu = "1", memory = "512Mi" }
          }
          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_non_root            = true
            run_as_user                = 10001
            capabilities {
              drop = ["ALL"]
            }
          }
        }
      }
    }
  }
  wait_for_completion = true
  timeouts {
    create = "30m"
  }
}

resource "kubernetes_manifest" "leadgen" {
  for_each   = local.resources
  manifest   = each.value
  depends_on = [kubernetes_job_v1.migrate]
}
