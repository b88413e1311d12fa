"""Pydantic models of what crosses a boundary: API bodies, workflow payloads, events."""

__all__ = [
    "attention",
    "staff",
    "store_settings",
    "stores",
]
