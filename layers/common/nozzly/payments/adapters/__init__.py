"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "gateway",
    "once",
    "payout_accounts",
    "providers",
    "square_connections",
    "square_gateway",
    "square_oauth",
    "store_gateways",
    "stripe_connect",
    "stripe_gateway",
    "token_vault",
]
