"""Pure rules and value types: no AWS, no web framework, no pydantic, no environment."""

__all__ = [
    "cart_events",
    "cart_recovery",
    "cart_reminders",
    "carts",
    "checkout",
    "manual_orders",
    "pricing",
]
