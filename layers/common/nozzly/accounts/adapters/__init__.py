"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "codes",
    "guest_sessions",
    "throttle",
    "users",
]
