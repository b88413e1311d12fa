"""Pydantic models of the invoices routes' answers (the OpenAPI document is built from them)."""

__all__ = ["documents"]
