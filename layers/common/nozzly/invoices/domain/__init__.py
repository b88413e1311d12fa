"""Pure rules and value types: no AWS, no web framework, no pydantic, no environment."""

__all__ = ["documents", "exports", "invoicing", "labels", "seller"]
