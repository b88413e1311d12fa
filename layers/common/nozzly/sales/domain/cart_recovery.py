"""Cart recovery: a reminder email's "back to your cart" link rebuilds the cart it showed, judged again today.

Pure Python. The cart itself is gone 24 h after its last change, so each reminder email carries its own
recovery link: a random token (`secrets.token_urlsafe(24)`, 192 bits) whose SHA-256 names an item holding what
that email showed (the lines, the currency, the cart it came from). Only the hash is stored, so a leaked table
cannot be turned into working links. The link lives as long as the reminder's snapshot (7 days after the cart's
last change: the 72 h reminder plus four days' grace).

Restoring judges every line again against the catalog as it is now (price, stock, the product and its variant
still sold) and tops the caller's cart up to what the email showed, never beyond: restoring the same link twice,
or into a cart that already holds its lines, changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.kernel.domain.errors import NotFound
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.cart_limits import MAX_LINES, MAX_QUANTITY
from nozzly.sales.domain.carts import Cart, CartLine, CartSnapshot, item_id

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # secrets.token_urlsafe(24): 192 bits, 32 characters
UNKNOWN = "no such cart link: use the link of a reminder email from this store"
EXPIRED = "this cart link has expired: reminder links work for 7 days after the cart was last changed"


class RecoveryLinkExpired(NotFound):
    """A link this store sent, past its life: still a 404 (nothing to restore), with its own code."""

    code = "link_expired"


@dataclass(frozen=True, slots=True)
class RecoveryLink:
    """What one reminder email's link restores: its lines as the email showed them, for as long as it lives."""

    store_id: str
    token_hash: str
    cart_id: str  # the cart the reminder was about
    email: str
    currency: str
    lines: tuple[CartLine, ...]
    expires_at: int
    touched_at: int = 0  # the snapshot the email was sent from: its reminders stop once restored elsewhere

    def usable(self, now: float) -> RecoveryLink:
        """The link, or 404 `link_expired` past its life (TTL deletes it late)."""
        if now >= self.expires_at:
            raise RecoveryLinkExpired(EXPIRED, field="token")
        return self


def new_recovery_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """What the link is stored under: the token itself is only ever in the email."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_recovery_token(token: str) -> bool:
    """Anything else is answered like an unknown token, without a read."""
    return bool(_TOKEN.match(token))


def recovery_url(store_id: str, token: str, storefront_url: str | None, api_url: str) -> str:
    """Where an email's "back to your cart" link points: the storefront's recovery page (which POSTs the token
    with the browser's guest session) when the store names a storefront of its own, else the store's account page
    on the platform's address (the ShopAccountPages function: a button that POSTs it with the browser's cart;
    mail clients prefetch links, and a GET must not create a session or change a cart)."""
    if storefront_url:
        return f"{storefront_url.rstrip('/')}/cart/recover?token={token}"
    return f"{api_url.rstrip('/')}/shop/{quote(store_id)}/account/cart/recover?token={token}"


# ---- the restore judgement
class Shortfall(StrEnum):
    NO_LONGER_SOLD = "no_longer_sold"  # the product is deleted, unpublished or unknown
    VARIANT_GONE = "variant_gone"
    OUT_OF_STOCK = "out_of_stock"
    PARTLY_AVAILABLE = "partly_available"  # fewer than the email showed are for sale: the cart holds what is
    CART_FULL = "cart_full"  # the cart already holds MAX_LINES other lines
    OTHER_CURRENCY = "other_currency"  # the product is now priced in another currency than the cart


@dataclass(frozen=True, slots=True)
class NotRestored:
    line: CartLine  # as the email showed it
    reason: Shortfall
    in_cart: int  # how many of it the cart holds now


@dataclass(frozen=True, slots=True)
class Repriced:
    line: CartLine  # as the email showed it
    price_now: Money  # what the restored line costs today


@dataclass(frozen=True, slots=True)
class Restoration:
    cart: Cart
    changed: bool  # False: nothing to write (everything already in the cart, or nothing restorable)
    not_restored: tuple[NotRestored, ...]
    repriced: tuple[Repriced, ...]


@dataclass(frozen=True, slots=True)
class Recovered:
    session_id: str | None  # the guest session the cart is under (a new one when the caller had none)
    cart: CartSnapshot
    restoration: Restoration


def restore(cart: Cart, wanted: tuple[CartLine, ...], products: Mapping[str, Product], now: float) -> Restoration:
    """`cart` topped up to `wanted` (products by slug; a missing one is not sold any more). A line already in
    the cart with at least the wanted quantity is left alone; one with fewer is raised to the wanted quantity,
    capped by what is available now (never lowered), at today's price."""
    lines = {line.item_id: line for line in cart.lines}
    missing: list[NotRestored] = []
    repriced: list[Repriced] = []
    for want in wanted:
        key = item_id(want.product_slug, want.variant_id)
        have = lines[key].quantity if key in lines else 0
        if have >= want.quantity:
            continue  # already there: restoring again changes nothing
        judged = _judge(
            cart, want, products.get(want.product_slug), have, full=key not in lines and len(lines) >= MAX_LINES
        )
        if isinstance(judged, Shortfall):
            missing.append(NotRestored(want, judged, have))
            continue
        product, variant = judged
        price = product.price_of(variant)
        quantity = min(want.quantity, variant.available, MAX_QUANTITY)
        lines[key] = CartLine(
            variant_id=variant.variant_id,
            product_slug=product.slug,
            sku=variant.sku,
            title=product.title,
            variant_title=variant.title,
            quantity=quantity,
            unit_price=price,
            added_at=lines[key].added_at if key in lines else int(now),
        )
        if quantity < want.quantity:
            missing.append(NotRestored(want, Shortfall.PARTLY_AVAILABLE, quantity))
        if price != want.unit_price:
            repriced.append(Repriced(want, price))
    changed = tuple(lines.values()) != cart.lines
    restored = cart.with_lines(tuple(lines.values()), now) if changed else cart
    return Restoration(restored, changed, tuple(missing), tuple(repriced))


def _judge(
    cart: Cart, want: CartLine, product: Product | None, have: int, *, full: bool
) -> tuple[Product, Variant] | Shortfall:
    """What a wanted line (the cart holding `have` of it) can come back from today, or why none of it more can."""
    if product is None or not product.is_published:
        return Shortfall.NO_LONGER_SOLD
    variant = next((v for v in product.variants if v.variant_id == want.variant_id), None)
    if variant is None:
        return Shortfall.VARIANT_GONE
    if product.price_of(variant).currency != cart.currency:
        return Shortfall.OTHER_CURRENCY
    if variant.available <= have:
        return Shortfall.OUT_OF_STOCK if variant.available <= 0 else Shortfall.PARTLY_AVAILABLE
    if full:
        return Shortfall.CART_FULL
    return product, variant
