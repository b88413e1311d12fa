"""Stores (tenants): opening and provisioning one, its profile and settings, its staff and their permissions."""

__all__ = ["adapters", "contracts", "domain", "services"]
