"""Pydantic models of the payments API bodies."""

__all__ = ["payouts"]
