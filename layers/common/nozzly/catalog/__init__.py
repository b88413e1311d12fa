"""The catalog: categories, products and variants, brands, stock and its ledger, the storefront's listings, import."""

__all__ = ["adapters", "contracts", "domain", "emails", "services"]
