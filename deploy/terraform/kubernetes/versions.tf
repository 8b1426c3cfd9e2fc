terraform {
  # Provider-defined functions (manifest_decode_multi) need Terraform 1.8.
  required_version = ">= 1.8"
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.36"
    }
  }
}
