"""A shopper's cart changed: the bus event a stored change makes, and who hears it (the shopper's own room only)."""

from __future__ import annotations

from datetime import UTC, datetime

from nozzly.kernel.domain.money import Money
from nozzly.realtime.domain.messages import DETAIL_TYPES, route
from nozzly.sales.domain.cart_events import CART_CHANGED, cart_changed
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner

AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _line(slug: str, quantity: int) -> CartLine:
    return CartLine("v1", slug, "SKU-" + slug, "Lamp", "Default", quantity, Money(1999, "EUR"), 1)


def _cart(owner: CartOwner, owner_id: str) -> Cart:
    lines = (_line("lamp", 2), _line("shade", 3))
    return Cart("acme", owner, owner_id, "EUR", lines=lines, updated_at=1700000000, version=4)


def test_a_shoppers_stored_change_names_the_shopper_and_counts_only() -> None:
    detail = cart_changed(_cart(CartOwner.SHOPPER, "sub-1"))
    expected = {"store_id": "acme", "customer": "sub-1", "version": 4, "lines": 2, "quantity": 5, "at": 1700000000}
    assert detail == expected


def test_a_guests_cart_announces_nothing() -> None:
    assert cart_changed(_cart(CartOwner.GUEST, "s" * 43)) is None


def test_only_the_shoppers_own_room_hears_it_with_counts_and_no_personal_data() -> None:
    detail = cart_changed(_cart(CartOwner.SHOPPER, "sub-1"))
    assert detail is not None and CART_CHANGED in DETAIL_TYPES
    [delivery] = route(CART_CHANGED, detail, AT)
    assert delivery.room.name == "shopper:acme:sub-1"
    assert delivery.message == {
        "type": "CartChanged",
        "v": 1,
        "store": "acme",
        "data": {"version": 4, "lines": 2, "quantity": 5},
        "at": "2026-12-04T12:00:00Z",
    }


def test_a_cart_change_without_its_shopper_or_store_reaches_nobody() -> None:
    assert route(CART_CHANGED, {"store_id": "acme", "quantity": 1}, AT) == []
    assert route(CART_CHANGED, {"customer": "sub-1", "quantity": 1}, AT) == []
