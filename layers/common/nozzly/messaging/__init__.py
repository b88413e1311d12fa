"""Transactional email: templates rendered with a store's branding, sent through SES, each recorded once."""

__all__ = ["adapters", "domain", "emails"]
