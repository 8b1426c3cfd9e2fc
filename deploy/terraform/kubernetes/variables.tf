variable "manifests" {
  description = "The rendered application manifests: `kubectl kustomize deploy/kubernetes/overlays/production`."
  type        = string
}

variable "namespace" {
  description = "The namespace the overlay deploys into (its `namespace:`)."
  type        = string
  default     = "leadgen"
}

variable "image" {
  description = "The image of the overlay, for the migration job (the same release)."
  type        = string
}

variable "secrets" {
  description = "The Secret leadgen-secrets: DATABASE_URL, LEADGEN_MASTER_KEY, LEADGEN_METRICS_TOKEN and vendor keys."
  type        = map(string)
  sensitive   = true
  validation {
    condition     = alltrue([for key in ["DATABASE_URL", "LEADGEN_MASTER_KEY", "LEADGEN_METRICS_TOKEN"] : contains(keys(var.secrets), key)])
    error_message = "secrets must hold DATABASE_URL, LEADGEN_MASTER_KEY and LEADGEN_METRICS_TOKEN."
  }
}

variable "service_monitor" {
  description = "Installs the ServiceMonitor (the Prometheus Operator's CRDs must be in the cluster)."
  type        = bool
  default     = true
}
