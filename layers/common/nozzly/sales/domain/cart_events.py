"""What a signed-in shopper's other devices hear when their cart changes. Pure Python.

`CartChanged` goes on the bus after every stored change of a shopper's cart (add, quantity, remove, clear, coupon,
merge, restore); the realtime notifier pushes it to the shopper's own room. It carries ids and counts only (no
titles, prices or codes): a page that hears it refreshes its cart badge, or re-reads the cart it shows. A guest's
cart is a browser's own, with no other device to tell, so it announces nothing.
"""

from __future__ import annotations

from typing import Any, Final

from nozzly.sales.domain.carts import Cart, CartOwner

CART_CHANGED: Final = "CartChanged"


def cart_changed(cart: Cart) -> dict[str, Any] | None:
    """The event's detail for a stored cart (its version is the write's), or None for a guest's cart."""
    if cart.owner is not CartOwner.SHOPPER:
        return None
    return {
        "store_id": cart.store_id,
        "customer": cart.owner_id,  # the shopper's sub: whose room hears it
        "version": cart.version,
        "lines": len(cart.lines),
        "quantity": cart.item_count,
        "at": cart.updated_at,
    }
