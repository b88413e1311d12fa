"""A shopper's own data in a store: profile and address book."""

__all__ = ["adapters", "contracts", "domain", "services"]
