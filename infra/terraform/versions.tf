terraform {
  required_version = ">= 1.6"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

provider "azurerm" {
  features {}
  # Data-plane calls (containers, queues) with Entra ID rather than account keys.
  storage_use_azuread = true
}
