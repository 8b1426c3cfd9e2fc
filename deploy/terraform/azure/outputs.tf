output "url" {
  description = "Where Leadgen answers (LEADGEN_PUBLIC_URL)."
  value       = local.public_url
}

output "web_host" {
  description = "The web app's Azure host name: point your own domain's CNAME here."
  value       = local.web_host
}

output "resource_group" {
  description = "The resource group holding everything."
  value       = azurerm_resource_group.main.name
}

output "migrate_job" {
  description = "The Container Apps job that applies migrations: `az containerapp job start` it before a rollout."
  value       = azurerm_container_app_job.migrate.name
}

output "postgres_host" {
  description = "The PostgreSQL server's private host name."
  value       = azurerm_postgresql_flexible_server.main.fqdn
}

output "database_url" {
  description = "DATABASE_URL, for `leadgen` commands run from inside the network (backups, the CLI)."
  value       = local.database_url
  sensitive   = true
}
