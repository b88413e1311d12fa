"""Notifications: each person's in-app inbox (operators per store, shoppers), fed by the bus's domain events."""

__all__: list[str] = []
