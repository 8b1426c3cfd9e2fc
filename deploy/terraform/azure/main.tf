# Leadgen on Azure Container Apps with Azure Database for PostgreSQL (Flexible Server): a web app that scales
# on requests, workers that share the job queue, and a migration job run before each rollout.
#
# Why Azure: Leadgen's PostgreSQL client always verifies the server's certificate chain and host name; the
# Flexible Server's certificate chains to public roots that the image's CA bundle already holds, so
# `sslmode=require` works with no custom CA, no proxy sidecar and no socket mount. Container Apps runs the
# image as it is (web with ingress and request-based scaling, workers without ingress, jobs for the
# migration), inside the same virtual network as the database.

resource "azurerm_resource_group" "main" {
  name     = "${var.name}-rg"
  location = var.location
  tags     = var.tags
}

locals {
  database_url = format(
    "postgres://%s:%s@%s:5432/%s?sslmode=require",
    azurerm_postgresql_flexible_server.main.administrator_login,
    random_password.database.result,
    azurerm_postgresql_flexible_server.main.fqdn,
    azurerm_postgresql_flexible_server_database.leadgen.name,
  )
  web_host   = "${var.name}-web.${azurerm_container_app_environment.main.default_domain}"
  public_url = coalesce(var.public_url, "https://${local.web_host}")

  # Settings in the clear, and secrets held as Container Apps secrets (environment name => secret name).
  settings = merge(
    {
      LEADGEN_HOST       = "0.0.0.0"
      LEADGEN_PORT       = "8080"
      LEADGEN_LOG_FORMAT = "json"
      LEADGEN_PUBLIC_URL = local.public_url
      # Container Apps' ingress proxies sit in the environment's subnet.
      LEADGEN_TRUSTED_PROXIES = azurerm_subnet.apps.address_prefixes[0]
    },
    var.settings,
  )
  secret_values = merge(
    {
      DATABASE_URL          = local.database_url
      LEADGEN_MASTER_KEY    = var.master_key
      LEADGEN_METRICS_TOKEN = var.metrics_token
    },
    var.secrets,
  )
  secret_names = { for key in nonsensitive(keys(local.secret_values)) : key => lower(replace(key, "_", "-")) }
}
