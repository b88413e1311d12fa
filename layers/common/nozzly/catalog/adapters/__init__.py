"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "brands",
    "catalog",
    "catalog_admin",
    "catalog_codec",
    "catalog_listing",
    "reservations",
    "stock_ledger",
    "stock_subscriptions",
]
