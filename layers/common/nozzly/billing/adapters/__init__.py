"""The billing account item and the per-store usage counters (stores table)."""

__all__: list[str] = []
