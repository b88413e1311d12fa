"""Notifications: domain."""

__all__: list[str] = []
