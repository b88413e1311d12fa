"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "image_files",
    "image_uploads",
    "images",
    "owner_images",
    "product_images",
]
