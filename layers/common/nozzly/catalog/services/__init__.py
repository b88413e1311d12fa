"""Use cases: domain rules applied through adapters. Handlers call these and nothing deeper."""

__all__ = [
    "brands",
    "catalog_admin",
    "catalog_categories",
    "catalog_import",
    "catalog_stats",
    "catalog_writes",
    "stock_alerts",
    "stock_emails",
]
