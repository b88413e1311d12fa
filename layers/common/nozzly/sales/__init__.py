"""Selling: carts, checkout and its saga, cart reminders, manual orders entered by operators."""

__all__ = ["adapters", "contracts", "domain", "emails", "services"]
