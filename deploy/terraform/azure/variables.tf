variable "name" {
  description = "Prefix of every resource's name (letters, digits and hyphens)."
  type        = string
  default     = "leadgen"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name: 2 to 21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Azure region, such as westeurope or eastus2."
  type        = string
}

variable "image" {
  description = "The Leadgen image with its release tag or digest, such as ghcr.io/example/leadgen:1.0.0."
  type        = string
}

variable "registry" {
  description = "Credentials for a private registry (server, username, password); null for a public image."
  type = object({
    server   = string
    username = string
    password = string
  })
  default   = null
  sensitive = true
}

variable "public_url" {
  description = "Where users and vendors reach Leadgen (LEADGEN_PUBLIC_URL); null uses the web app's Azure host name."
  type        = string
  default     = null
}

variable "master_key" {
  description = "LEADGEN_MASTER_KEY: seals workspace credentials (openssl rand -base64 32). Keep it: losing it loses them."
  type        = string
  sensitive   = true
}

variable "metrics_token" {
  description = "LEADGEN_METRICS_TOKEN: the bearer token /metrics asks for."
  type        = string
  sensitive   = true
}

variable "settings" {
  description = "Further settings that are not secret (LEADGEN_LOG_LEVEL, APOLLO_BASE_URL, …), as in .env.example."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Further secret settings (APOLLO_API_KEY, HUBSPOT_ACCESS_TOKEN, SENDGRID_API_KEY, …), as in .env.example."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "web_replicas" {
  description = "Least and most web replicas; they scale on concurrent requests between the two."
  type        = object({ min = number, max = number })
  default     = { min = 2, max = 10 }
}

variable "worker_replicas" {
  description = "Worker replicas (they share the job queue through PostgreSQL)."
  type        = number
  default     = 2
}

variable "postgres" {
  description = "The managed PostgreSQL: SKU, storage, version, backups and zone-redundant high availability."
  type = object({
    sku_name              = string
    storage_mb            = number
    version               = string
    backup_retention_days = number
    geo_redundant_backup  = bool
    high_availability     = bool
  })
  default = {
    sku_name              = "GP_Standard_D2ds_v5"
    storage_mb            = 65536
    version               = "16"
    backup_retention_days = 14
    geo_redundant_backup  = true
    high_availability     = true
  }
}

variable "address_space" {
  description = "The virtual network's address block; the apps and the database each get a part of it."
  type        = string
  default     = "10.40.0.0/16"
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
