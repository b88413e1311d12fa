"""Data access and outside services: one module per aggregate owns its items (key design: nozzly/README.md)."""

__all__ = [
    "aws",
    "batch",
    "cursor",
    "dynamo",
    "events",
    "readiness",
    "unit_of_work",
]
