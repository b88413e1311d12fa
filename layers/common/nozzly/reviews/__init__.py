"""Product reviews: buyers post them, operators moderate them, the storefront shows approved ones."""

__all__ = ["adapters", "contracts", "domain", "services"]
