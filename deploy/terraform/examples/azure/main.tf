# Leadgen on Azure, from nothing (docs/deploy.md, "Terraform on Azure"):
#   cp terraform.tfvars.example terraform.tfvars   # then fill it in; never commit it
#   terraform init -backend-config=backend.hcl     # the remote state (backend.hcl.example)
#   terraform apply
#   az containerapp job start --name leadgen-migrate --resource-group leadgen-rg

terraform {
  required_version = ">= 1.6"
  # The state holds the database password and the secrets: keep it in a private, encrypted storage account.
  backend "azurerm" {}
}

provider "azurerm" {
  features {}
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "image" {
  type = string
}

variable "master_key" {
  type      = string
  sensitive = true
}

variable "metrics_token" {
  type      = string
  sensitive = true
}

variable "secrets" {
  type      = map(string)
  default   = {}
  sensitive = true
}

module "leadgen" {
  source        = "../../azure"
  name          = "leadgen"
  location      = var.location
  image         = var.image
  master_key    = var.master_key
  metrics_token = var.metrics_token
  secrets       = var.secrets
  tags          = { app = "leadgen" }
}

output "url" {
  value = module.leadgen.url
}

output "migrate_job" {
  value = module.leadgen.migrate_job
}
