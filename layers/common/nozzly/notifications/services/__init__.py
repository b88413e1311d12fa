"""Notifications: services."""

__all__: list[str] = []
