"""Pydantic models of what crosses a boundary: API bodies, workflow payloads, events."""

__all__ = [
    "staff",
    "store_settings",
    "stores",
]
