# BlobCreated events of the landing files, delivered to the queue in the Event Grid schema
# (what Snowpipe's Azure auto-ingest reads).

resource "azurerm_eventgrid_system_topic" "lake" {
  name                = "evgt-${var.name}-lake"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  source_resource_id  = azurerm_storage_account.lake.id
  topic_type          = "Microsoft.Storage.StorageAccounts"
  tags                = var.tags

  identity {
    type = "SystemAssigned"
  }
}

# The topic delivers with its own identity, since the account takes no keys.
resource "azurerm_role_assignment" "topic_sends_to_queue" {
  scope                = "${azurerm_storage_account.lake.id}/queueServices/default/queues/${azurerm_storage_queue.events.name}"
  role_definition_name = "Storage Queue Data Message Sender"
  principal_id         = azurerm_eventgrid_system_topic.lake.identity[0].principal_id
}

resource "azurerm_eventgrid_system_topic_event_subscription" "landing_to_queue" {
  name                  = "evgs-${var.name}-landing"
  system_topic          = azurerm_eventgrid_system_topic.lake.name
  resource_group_name   = azurerm_resource_group.main.name
  event_delivery_schema = "EventGridSchema"
  included_event_types  = ["Microsoft.Storage.BlobCreated"]

  subject_filter {
    subject_begins_with = "/blobServices/default/containers/${var.landing_container}/blobs/${var.landing_prefix}"
  }

  # On ADLS Gen2 a file is created (CreateFile), appended and flushed: only the final flush
  # (FlushWithClose) means "this file is whole". Without the filter Snowpipe would be told of
  # empty files.
  advanced_filter {
    string_in {
      key    = "data.api"
      values = var.publish_apis
    }
  }

  storage_queue_endpoint {
    storage_account_id = azurerm_storage_account.lake.id
    queue_name         = azurerm_storage_queue.events.name
  }

  delivery_identity {
    type = "SystemAssigned"
  }

  retry_policy {
    max_delivery_attempts = 30
    event_time_to_live    = 1440
  }

  depends_on = [azurerm_role_assignment.topic_sends_to_queue]
}
