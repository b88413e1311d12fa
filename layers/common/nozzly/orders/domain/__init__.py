"""Pure rules and value types: no AWS, no web framework, no pydantic, no environment."""

__all__ = [
    "carriers",
    "fulfilment",
    "fulfilment_status",
    "order_events",
    "order_rules",
    "order_search",
    "order_status",
    "orders",
    "tracking",
]
