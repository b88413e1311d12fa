"""Placed orders: the operators" list, fulfilment, cancellation, refunds, shoppers" own orders, order emails."""

__all__ = ["adapters", "contracts", "domain", "emails", "services"]
