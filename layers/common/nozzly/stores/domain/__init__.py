"""Pure rules and value types: no AWS, no web framework, no pydantic, no environment."""

__all__ = [
    "attention",
    "branding_settings",
    "general_settings",
    "permissions",
    "staff",
    "store_defaults",
    "store_settings",
]
