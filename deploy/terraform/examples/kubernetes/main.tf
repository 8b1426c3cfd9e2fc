# Leadgen into an existing cluster, from the production overlay (docs/deploy.md, "Terraform on Kubernetes"):
#   kubectl kustomize ../../../kubernetes/overlays/production > leadgen.yaml
#   terraform init -backend-config=backend.hcl
#   terraform apply -var image=ghcr.io/example/leadgen:1.0.0

terraform {
  required_version = ">= 1.8"
  # The state holds the Secret's values: keep it in an encrypted, access-controlled bucket.
  backend "s3" {}
}

provider "kubernetes" {
  config_path    = "~/.kube/config"
  config_context = var.context
}

variable "context" {
  type = string
}

variable "image" {
  type = string
}

variable "secrets" {
  type      = map(string)
  sensitive = true
}

module "leadgen" {
  source    = "../../kubernetes"
  manifests = file("${path.module}/leadgen.yaml")
  image     = var.image
  secrets   = var.secrets
}

output "migration_job" {
  value = module.leadgen.migration_job
}
