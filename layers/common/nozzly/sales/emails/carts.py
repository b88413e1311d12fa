"""What an abandoned-cart reminder shows: the cart's lines at the prices the shopper saw, by stage."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, money
from nozzly.sales.domain.carts import Cart

# The opening line per stage (hours since the cart was last touched): gentler first, a last nudge at 72 h.
OPENINGS = {
    1: "You left something in your cart.",
    24: "Your cart is still waiting for you.",
    72: "Last reminder: your cart is still here, but items sell out.",
}


def abandoned_cart(
    cart: Cart,
    store: Store,
    settings: dict[str, Any] | None,
    stage_hours: int,
    *,
    optout_url: str,
    cart_url: str,
    words: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """`optout_url`: the one-click opt-out every reminder carries (they are marketing email); `cart_url`: the
    email's own link that restores these lines into a cart (the cart itself is gone a day after it was left);
    `words`: the subject and opening line as the store's flow has them, placeholders filled (absent: defaults)."""
    branding = brand(store, settings)
    subject, opening = words or (f"Still thinking it over? Your {branding['name']} cart", "")
    return {
        "subject": subject,
        "brand": branding,
        "opening": opening or OPENINGS.get(stage_hours, OPENINGS[1]),
        "last": stage_hours == max(OPENINGS),
        "cart_url": cart_url,
        "optout_url": optout_url,
        "lines": [
            {
                "quantity": line.quantity,
                "title": line.title,
                "variant_title": line.variant_title,
                "total": money(line.unit_price.amount * line.quantity, cart.currency),
            }
            for line in cart.lines
        ],
        "subtotal": money(cart.subtotal.amount, cart.currency),
    }
