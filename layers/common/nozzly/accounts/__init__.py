"""Accounts of operators and shoppers: sign-up, codes, passwords, sessions, guest sessions, throttling."""

__all__ = ["adapters", "contracts", "domain", "emails", "services"]
