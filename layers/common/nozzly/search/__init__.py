"""Storefront search: the keyword index kept from the catalog's stream, and ranked lookups."""

__all__ = ["adapters", "domain", "services"]
