"""Pure rules and value types: no AWS, no web framework, no pydantic, no environment."""

__all__ = [
    "image_checks",
    "image_decoding",
    "image_uploads",
    "images",
]
