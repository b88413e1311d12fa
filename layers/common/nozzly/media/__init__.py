"""Product images: upload links, the processor that checks and resizes uploads, a product's image list."""

__all__ = ["adapters", "contracts", "domain", "services"]
