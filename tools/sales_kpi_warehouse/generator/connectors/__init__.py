"""Converters from the contract export to managed-connector-shaped tables (Salesforce, HubSpot)."""
