"""Pure rules and value types: no AWS, no web framework, no pydantic, no environment."""

__all__ = [
    "admin_search",
    "brands",
    "catalog",
    "catalog_rules",
    "related",
    "seo",
    "stock",
    "stock_alerts",
    "stock_holds",
]
