"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "gateway",
    "once",
    "payout_accounts",
    "providers",
    "square_gateway",
    "stripe_connect",
    "stripe_gateway",
]
