"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "cart_recovery_links",
    "cart_reminders",
    "carts",
    "checkouts",
    "manual_orders",
    "workflows",
]
