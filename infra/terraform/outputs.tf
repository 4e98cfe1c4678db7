output "tenant_id" {
  description = "AZURE_TENANT_ID of the storage and notification integrations."
  value       = data.azurerm_client_config.current.tenant_id
}

output "landing_url" {
  description = "STORAGE_ALLOWED_LOCATIONS / stage URL for Snowflake (azure://...blob.core.windows.net/<container>/)."
  value       = "azure://${azurerm_storage_account.lake.name}.blob.core.windows.net/${azurerm_storage_container.landing.name}/${var.landing_prefix}"
}

output "queue_url" {
  description = "AZURE_STORAGE_QUEUE_PRIMARY_URI of the notification integration."
  value       = "${azurerm_storage_account.lake.primary_queue_endpoint}${azurerm_storage_queue.events.name}"
}

output "lake_dfs_endpoint" {
  description = "The ADLS Gen2 endpoint the function writes to."
  value       = azurerm_storage_account.lake.primary_dfs_endpoint
}

output "function_app_name" {
  description = "Where `func azure functionapp publish` deploys examples/azure-function."
  value       = azurerm_linux_function_app.generator.name
}
