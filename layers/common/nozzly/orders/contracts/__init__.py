"""Pydantic models of what crosses a boundary: API bodies, workflow payloads, events."""

__all__ = [
    "fulfilment",
    "order_list",
    "orders",
    "sale",
]
