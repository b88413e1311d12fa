"""Cart maths and rules, without any cloud: adding, stock checks, quantities, expiry, merging, line views."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nozzly.catalog.domain.catalog import Product, ProductStatus, Variant
from nozzly.catalog.domain.stock_holds import OutOfStock
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.cart_limits import CART_TTL_SECONDS, MAX_QUANTITY
from nozzly.sales.domain.carts import Cart, CartOwner, LineState, view_line

NOW = 1_800_000_000.0


def product(
    slug: str = "lamp",
    *,
    stock: int = 5,
    reserved: int = 0,
    price: int = 2500,
    status: ProductStatus = ProductStatus.PUBLISHED,
) -> Product:
    variant = Variant(variant_id="v1", sku=f"SKU-{slug}", title="Default", stock_on_hand=stock, reserved=reserved)
    return Product(
        store_id="s",
        slug=slug,
        title=slug.title(),
        price=Money(price, "EUR"),
        category="c",
        variants=(variant,),
        status=status,
    )


def empty() -> Cart:
    return Cart.empty("s", CartOwner.GUEST, "session", "EUR")


def test_adding_twice_adds_up_and_keeps_the_first_added_time() -> None:
    lamp = product()
    cart = empty().with_added(lamp, lamp.variants[0], 2, NOW).with_added(lamp, lamp.variants[0], 1, NOW + 60)

    assert [(line.quantity, line.added_at) for line in cart.lines] == [(3, int(NOW))]
    assert cart.subtotal == Money(7500, "EUR")
    assert cart.expires_at == int(NOW) + 60 + CART_TTL_SECONDS  # every change slides the cart's life


def test_stock_is_on_hand_minus_reserved() -> None:
    lamp = product(stock=5, reserved=3)
    cart = empty().with_added(lamp, lamp.variants[0], 2, NOW)

    with pytest.raises(OutOfStock) as refused:
        cart.with_added(lamp, lamp.variants[0], 1, NOW)
    assert refused.value.message == "only 2 of SKU-lamp left"


def test_nothing_can_be_added_from_a_draft_or_beyond_the_quantity_limit() -> None:
    draft = product(status=ProductStatus.DRAFT)
    with pytest.raises(NotFound):
        empty().with_added(draft, draft.variants[0], 1, NOW)
    lamp = product(stock=500)
    with pytest.raises(InvalidInput):
        empty().with_added(lamp, lamp.variants[0], MAX_QUANTITY + 1, NOW)


def test_lowering_a_quantity_is_allowed_even_when_stock_fell_below_it() -> None:
    lamp = product(stock=5)
    cart = empty().with_added(lamp, lamp.variants[0], 5, NOW)
    scarce = product(stock=1)

    assert cart.with_quantity("lamp:v1", scarce.variants[0], 3, NOW).lines[0].quantity == 3
    with pytest.raises(OutOfStock):
        cart.with_quantity("lamp:v1", scarce.variants[0], 6, NOW)
    assert cart.with_quantity("lamp:v1", scarce.variants[0], 0, NOW).lines == ()


def test_a_cart_is_expired_from_its_expiry_second_on() -> None:
    lamp = product()
    stored = empty().with_added(lamp, lamp.variants[0], 1, NOW)
    stored = replace(stored, version=1)

    assert not stored.is_expired(stored.expires_at - 1)
    assert stored.is_expired(stored.expires_at)
    assert not empty().is_expired(NOW)  # never stored: nothing to expire


def test_merging_adds_quantities_capped_by_availability_and_drops_what_is_not_sold() -> None:
    lamp, vase = product("lamp"), product("vase")
    mine = empty().with_added(lamp, lamp.variants[0], 2, NOW)
    guest = empty().with_added(lamp, lamp.variants[0], 3, NOW).with_added(vase, vase.variants[0], 1, NOW)

    merged = mine.merged(guest, {"lamp:v1": 4}, NOW)  # the vase is no longer sold: absent from `available`

    assert [(line.product_slug, line.quantity) for line in merged.lines] == [("lamp", 4)]


def test_variants_of_different_products_are_different_lines() -> None:
    lamp, vase = product("lamp"), product("vase")  # both have a variant "v1"
    cart = empty().with_added(lamp, lamp.variants[0], 1, NOW).with_added(vase, vase.variants[0], 2, NOW)

    assert [(line.item_id, line.quantity) for line in cart.lines] == [("lamp:v1", 1), ("vase:v1", 2)]
    assert [line.item_id for line in cart.without("lamp:v1", NOW).lines] == ["vase:v1"]


def test_a_line_view_flags_price_changes_and_availability() -> None:
    lamp = product(stock=5)
    line = empty().with_added(lamp, lamp.variants[0], 3, NOW).lines[0]

    dearer = view_line(line, product(stock=2, price=2700))
    gone = view_line(line, product(status=ProductStatus.ARCHIVED))

    assert (dearer.state, dearer.available, dearer.price_changed) == (LineState.LOW_STOCK, 2, True)
    assert (gone.state, gone.current_price, gone.price_changed) == (LineState.UNAVAILABLE, None, False)
    assert view_line(line, None).state is LineState.UNAVAILABLE
    assert view_line(line, product(stock=0)).state is LineState.OUT_OF_STOCK
