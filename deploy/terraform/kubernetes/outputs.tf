output "migration_job" {
  description = "The migration job this apply ran."
  value       = kubernetes_job_v1.migrate.metadata[0].name
}

output "resources" {
  description = "The resources installed, as kind/namespace/name."
  value       = keys(kubernetes_manifest.leadgen)
}
