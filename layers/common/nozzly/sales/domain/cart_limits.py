"""A cart's limits, apart from the cart model: pages show them without loading pricing, tax and shipping."""

from __future__ import annotations

CART_TTL_SECONDS = 24 * 3600
MAX_LINES = 50
MAX_QUANTITY = 99  # per line: more is a wholesale order, not a cart
