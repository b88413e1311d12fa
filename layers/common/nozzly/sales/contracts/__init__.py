"""Pydantic models of what crosses a boundary: API bodies, workflow payloads, events."""

__all__ = [
    "cart_recovery",
    "carts",
    "checkout",
    "manual_orders",
]
