"""The plans' and the billing overview's API bodies."""

__all__: list[str] = []
