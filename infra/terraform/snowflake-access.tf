# Snowflake's side (see docs/deploy.md): after `CREATE STORAGE INTEGRATION` and
# `CREATE NOTIFICATION INTEGRATION` (from `retail-mds ddl`) and the consent URLs they print,
# Snowflake's two service principals exist in the tenant; pass their object IDs and apply again.

resource "azurerm_role_assignment" "snowflake_reads_landing" {
  count                = var.snowflake_storage_principal_id == "" ? 0 : 1
  scope                = azurerm_storage_container.landing.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.snowflake_storage_principal_id
}

resource "azurerm_role_assignment" "snowflake_reads_queue" {
  count                = var.snowflake_queue_principal_id == "" ? 0 : 1
  scope                = "${azurerm_storage_account.lake.id}/queueServices/default/queues/${azurerm_storage_queue.events.name}"
  role_definition_name = "Storage Queue Data Contributor"
  principal_id         = var.snowflake_queue_principal_id
}
