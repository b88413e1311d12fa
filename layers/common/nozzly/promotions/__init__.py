"""Coupons: operators create and change them; carts, checkouts and cancellations count their uses."""

__all__ = ["adapters", "contracts", "domain", "services"]
