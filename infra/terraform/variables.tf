variable "name" {
  description = "Short name of the deployment (3-11 lowercase letters and digits); every resource name is derived from it."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,10}$", var.name))
    error_message = "name must be 3-11 lowercase letters and digits, starting with a letter (storage account names allow no more)."
  }
}

variable "location" {
  description = "Azure region, e.g. westeurope."
  type        = string
}

variable "landing_container" {
  description = "Container (ADLS Gen2 file system) the lake writer publishes to and Snowpipe loads from."
  type        = string
  default     = "landing"
}

variable "landing_prefix" {
  description = "Folder inside the landing container whose files raise events; empty for the whole container."
  type        = string
  default     = ""
}

variable "event_queue" {
  description = "Storage queue Event Grid delivers BlobCreated events to (Snowpipe's notification integration reads it)."
  type        = string
  default     = "snowpipe-events"
}

variable "publish_apis" {
  description = "data.api values that raise an event: FlushWithClose is the one commit of a file written through the ADLS Gen2 API, so one file gives one event."
  type        = list(string)
  default     = ["FlushWithClose"]
}

variable "tick_schedule" {
  description = "NCRONTAB schedule of the generator function (six fields, seconds first)."
  type        = string
  default     = "0 */5 * * * *"
}

variable "simulation_seed" {
  description = "Seed of the retail simulation the function runs."
  type        = number
  default     = 42
}

variable "simulation_from" {
  description = "First business day of the simulated period (YYYY-MM-DD)."
  type        = string
  default     = "2026-01-01"
}

variable "simulation_size" {
  description = "Stores and products of the simulation."
  type        = object({ stores = number, products = number })
  default     = { stores = 20, products = 2000 }
}

variable "snowflake_storage_principal_id" {
  description = "Object ID of the service principal of Snowflake's storage integration (after its consent); empty until then."
  type        = string
  default     = ""
}

variable "snowflake_queue_principal_id" {
  description = "Object ID of the service principal of Snowflake's notification integration (after its consent); empty until then."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = { app = "retail-mds" }
}
