"""Billing use cases: the plans, an account's billing overview, the limit checks creates share."""

__all__: list[str] = []
