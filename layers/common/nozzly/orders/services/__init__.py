"""Use cases: domain rules applied through adapters. Handlers call these and nothing deeper."""

__all__ = [
    "fulfilment_steps",
    "order_cancellation",
    "order_emails",
    "order_events",
    "order_fulfilment",
    "order_payments",
    "order_refunds",
    "order_search",
    "order_tracking",
    "shopper_orders",
]
