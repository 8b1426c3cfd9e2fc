resource "azurerm_log_analytics_workspace" "main" {
  name                = "${var.name}-logs"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = var.tags
}

resource "azurerm_container_app_environment" "main" {
  name                       = "${var.name}-env"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  infrastructure_subnet_id   = azurerm_subnet.apps.id
  tags                       = var.tags

  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }
}

# The API and dashboard: public HTTPS ingress, scaled on concurrent requests; runs no jobs.
resource "azurerm_container_app" "web" {
  name                         = "${var.name}-web"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"
  tags                         = var.tags

  dynamic "secret" {
    for_each = local.secret_names
    content {
      name  = secret.value
      value = local.secret_values[secret.key]
    }
  }

  dynamic "registry" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      server               = registry.value.server
      username             = registry.value.username
      password_secret_name = "registry-password"
    }
  }

  dynamic "secret" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      name  = "registry-password"
      value = secret.value.password
    }
  }

  ingress {
    external_enabled = true
    target_port      = 8080
    transport        = "http"
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    min_replicas = var.web_replicas.min
    max_replicas = var.web_replicas.max
    # LEADGEN_SHUTDOWN_TIMEOUT (30 s) for requests in flight, and ten seconds more.
    termination_grace_period_seconds = 60

    http_scale_rule {
      name                = "concurrent-requests"
      concurrent_requests = "50"
    }

    container {
      name   = "leadgen"
      image  = var.image
      args   = ["serve", "--no-workers"]
      cpu    = 1
      memory = "2Gi"

      dynamic "env" {
        for_each = local.settings
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = local.secret_names
        content {
          name        = env.key
          secret_name = env.value
        }
      }

      startup_probe {
        transport               = "HTTP"
        path                    = "/healthz"
        port                    = 8080
        interval_seconds        = 2
        failure_count_threshold = 30
      }
      readiness_probe {
        transport               = "HTTP"
        path                    = "/readyz"
        port                    = 8080
        interval_seconds        = 10
        failure_count_threshold = 3
      }
      liveness_probe {
        transport               = "HTTP"
        path                    = "/healthz"
        port                    = 8080
        interval_seconds        = 20
        failure_count_threshold = 3
      }
    }
  }
}

# The job queue: no ingress; /healthz, /readyz and /metrics on 8080 for the probes only.
resource "azurerm_container_app" "worker" {
  name                         = "${var.name}-worker"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"
  tags                         = var.tags

  dynamic "secret" {
    for_each = local.secret_names
    content {
      name  = secret.value
      value = local.secret_values[secret.key]
    }
  }

  dynamic "registry" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      server               = registry.value.server
      username             = registry.value.username
      password_secret_name = "registry-password"
    }
  }

  dynamic "secret" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      name  = "registry-password"
      value = secret.value.password
    }
  }

  template {
    min_replicas = var.worker_replicas
    max_replicas = var.worker_replicas
    # LEADGEN_SHUTDOWN_TIMEOUT (30 s) for jobs in flight, and ten seconds more.
    termination_grace_period_seconds = 60

    container {
      name   = "leadgen"
      image  = var.image
      args   = ["worker", "--health-port", "8080"]
      cpu    = 1
      memory = "2Gi"

      dynamic "env" {
        for_each = local.settings
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = local.secret_names
        content {
          name        = env.key
          secret_name = env.value
        }
      }

      startup_probe {
        transport               = "HTTP"
        path                    = "/healthz"
        port                    = 8080
        interval_seconds        = 2
        failure_count_threshold = 30
      }
      liveness_probe {
        transport               = "HTTP"
        path                    = "/healthz"
        port                    = 8080
        interval_seconds        = 20
        failure_count_threshold = 3
      }
    }
  }
}

# Applies the migrations of the image; start it and wait for it before a rollout (docs/deploy.md):
#   az containerapp job start --name <name>-migrate --resource-group <name>-rg
resource "azurerm_container_app_job" "migrate" {
  name                         = "${var.name}-migrate"
  location                     = azurerm_resource_group.main.location
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  workload_profile_name        = "Consumption"
  replica_timeout_in_seconds   = 1800
  replica_retry_limit          = 1
  tags                         = var.tags

  manual_trigger_config {
    parallelism              = 1
    replica_completion_count = 1
  }

  dynamic "secret" {
    for_each = local.secret_names
    content {
      name  = secret.value
      value = local.secret_values[secret.key]
    }
  }

  dynamic "registry" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      server               = registry.value.server
      username             = registry.value.username
      password_secret_name = "registry-password"
    }
  }

  dynamic "secret" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      name  = "registry-password"
      value = secret.value.password
    }
  }

  template {
    container {
      name   = "migrate"
      image  = var.image
      args   = ["migrate"]
      cpu    = 0.5
      memory = "1Gi"

      dynamic "env" {
        for_each = local.settings
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = local.secret_names
        content {
          name        = env.key
          secret_name = env.value
        }
      }
    }
  }
}
