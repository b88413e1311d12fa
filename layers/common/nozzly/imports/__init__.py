"""Imports: turning a supplier's product into a draft listing (AI copy, images, price by the store's rules)."""

__all__: list[str] = []
