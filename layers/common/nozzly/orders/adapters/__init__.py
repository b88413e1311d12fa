"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "fulfilment_workflow",
    "order_listing",
    "orders",
    "sale_codec",
]
