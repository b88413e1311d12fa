"""Use cases: domain rules applied through adapters. Handlers call these and nothing deeper."""

__all__ = [
    "image_processing",
    "image_uploads",
    "logo_uploads",
    "owner_images",
    "product_images",
]
