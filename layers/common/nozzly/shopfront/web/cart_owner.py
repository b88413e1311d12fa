"""Whose cart a page shows or changes: the signed-in shopper's, or the guest session's behind the GUEST cookie.

A guest session starts only when a guest first changes their cart (a look at an empty cart stores nothing). A
cookie naming no live session of this store (expired, forged, another store's) is treated as no session.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request

from nozzly.gateway_context import source_ip
from nozzly.sales.domain.carts import CartOf, CartOwner, CartSnapshot
from nozzly.shopfront.web import session
from nozzly.shopfront.web.rendering import Storefront
from nozzly.shopfront.web.shop import Shop
from nozzly.shopfront.web.shopper import shopper_email, signed_in_shopper


def shopper_cart(request: Request, shop: Shop, store_id: str) -> tuple[CartOf | None, str | None]:
    """The cart the cookies name (None: a guest without a live session, whose cart is empty) and, for a
    signed-in shopper, their account's email."""
    caller = signed_in_shopper(request, shop, store_id)
    if caller is not None:
        email = shopper_email(caller)
        return CartOf(CartOwner.SHOPPER, caller.sub, email=email or None), email
    guest = request.cookies.get(session.GUEST)
    if guest and shop.guest_sessions().verify(store_id, guest):
        return CartOf(CartOwner.GUEST, guest), None
    return None, None


def cart_to_change(request: Request, shop: Shop, store_id: str) -> CartOf:
    """The cart a change goes to; a guest without a live session gets a new one (its id in the GUEST cookie)."""
    whose, _ = shopper_cart(request, shop, store_id)
    if whose is not None:
        return whose
    started = shop.guest_sessions().start(store_id, source_ip(request))
    session.queue_cookie(request, session.GUEST, started.session_id, session.MONTH)
    return CartOf(CartOwner.GUEST, started.session_id)


def remember_count(request: Request, snapshot: CartSnapshot) -> None:
    """The header's cart count, kept in a cookie so pages that never read the cart can show it."""
    session.queue_cookie(request, session.CART_COUNT, str(snapshot.cart.item_count), session.MONTH)


def counted(request: Request, front: Storefront, count: int) -> Storefront:
    """The page's storefront with the header showing `count` (the request's cookie may be out of date)."""
    session.queue_cookie(request, session.CART_COUNT, str(count), session.MONTH)
    shown = replace(front, cart_count=count)
    request.state.storefront = shown
    return shown
