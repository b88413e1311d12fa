"""Pydantic models of what crosses a boundary: API bodies, workflow payloads, events."""

__all__ = [
    "admin_fields",
    "catalog_admin",
    "catalog_import",
    "catalog_taxonomy",
    "stock_alerts",
    "storefront",
]
