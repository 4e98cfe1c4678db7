# The lake: a storage account with hierarchical namespace (ADLS Gen2), its landing file system
# and the queue Snowpipe listens to.

resource "azurerm_resource_group" "main" {
  name     = "rg-${var.name}"
  location = var.location
  tags     = var.tags
}

resource "azurerm_storage_account" "lake" {
  name                            = "st${var.name}lake"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  is_hns_enabled                  = true
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  # Every writer and reader (the function, Snowflake, Event Grid) uses Entra ID: no account keys.
  shared_access_key_enabled = false
  tags                      = var.tags
}

resource "azurerm_storage_container" "landing" {
  name                  = var.landing_container
  storage_account_id    = azurerm_storage_account.lake.id
  container_access_type = "private"
}

resource "azurerm_storage_queue" "events" {
  name                 = var.event_queue
  storage_account_name = azurerm_storage_account.lake.name
}

data "azurerm_client_config" "current" {}
