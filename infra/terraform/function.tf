# The generator: an Azure Function (Node 20, @azure/functions v4) whose timer ticks the retail
# simulation and writes through the lake writer, with its system identity and no secrets.

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-${var.name}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = var.tags
}

resource "azurerm_application_insights" "function" {
  name                = "appi-${var.name}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  workspace_id        = azurerm_log_analytics_workspace.main.id
  application_type    = "Node.JS"
  tags                = var.tags
}

# The Functions host keeps its own state (timer schedule status, leases) apart from the lake.
resource "azurerm_storage_account" "host" {
  name                            = "st${var.name}func"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_service_plan" "function" {
  name                = "asp-${var.name}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  os_type             = "Linux"
  sku_name            = "Y1"
  tags                = var.tags
}

resource "azurerm_linux_function_app" "generator" {
  name                          = "func-${var.name}-generator"
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  service_plan_id               = azurerm_service_plan.function.id
  storage_account_name          = azurerm_storage_account.host.name
  storage_uses_managed_identity = true
  https_only                    = true
  tags                          = var.tags

  identity {
    type = "SystemAssigned"
  }

  site_config {
    application_insights_connection_string = azurerm_application_insights.function.connection_string
    application_stack {
      node_version = "20"
    }
  }

  # Read by examples/azure-function/src/settings.ts. No connection string: the function signs
  # in with its managed identity (DefaultAzureCredential).
  app_settings = {
    RETAIL_MDS_TICK_SCHEDULE = var.tick_schedule
    RETAIL_MDS_STORE_KIND    = "adls"
    RETAIL_MDS_ACCOUNT_URL   = azurerm_storage_account.lake.primary_dfs_endpoint
    RETAIL_MDS_CONTAINER     = var.landing_container
    RETAIL_MDS_PREFIX        = var.landing_prefix
    RETAIL_MDS_FORMAT        = "parquet"
    RETAIL_MDS_SEED          = tostring(var.simulation_seed)
    RETAIL_MDS_SIM_FROM      = var.simulation_from
    RETAIL_MDS_STORES        = tostring(var.simulation_size.stores)
    RETAIL_MDS_PRODUCTS      = tostring(var.simulation_size.products)
  }
}

# Writes lake files (the DFS API needs a data role, not just control-plane rights).
resource "azurerm_role_assignment" "function_writes_landing" {
  scope                = azurerm_storage_container.landing.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_linux_function_app.generator.identity[0].principal_id
}

# Identity-based AzureWebJobsStorage: the host's blobs (timer status, leases) and queues.
resource "azurerm_role_assignment" "function_host_blobs" {
  scope                = azurerm_storage_account.host.id
  role_definition_name = "Storage Blob Data Owner"
  principal_id         = azurerm_linux_function_app.generator.identity[0].principal_id
}

resource "azurerm_role_assignment" "function_host_queues" {
  scope                = azurerm_storage_account.host.id
  role_definition_name = "Storage Queue Data Contributor"
  principal_id         = azurerm_linux_function_app.generator.identity[0].principal_id
}
