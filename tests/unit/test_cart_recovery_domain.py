"""The restore judgement of a reminder's cart link, without any cloud: what goes back into the cart, what does not
and why, today's prices, and restoring twice changing nothing; the link's token, hash, expiry and URL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nozzly.catalog.domain.catalog import Product, ProductStatus, Variant
from nozzly.kernel.domain.errors import NotFound
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.cart_limits import CART_TTL_SECONDS, MAX_LINES
from nozzly.sales.domain.cart_recovery import (
    RecoveryLink,
    RecoveryLinkExpired,
    Shortfall,
    looks_like_recovery_token,
    new_recovery_token,
    recovery_url,
    restore,
    token_hash,
)
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner

NOW = 1_800_000_000.0
THEN = int(NOW) - 3 * 24 * 3600  # when the lines were added, as the reminder shows them


def product(
    slug: str = "lamp",
    *,
    stock: int = 10,
    reserved: int = 0,
    price: int = 2500,
    status: ProductStatus = ProductStatus.PUBLISHED,
    deleted: bool = False,
    variant: str = "v1",
) -> Product:
    only = Variant(variant_id=variant, sku=f"SKU-{slug}", title="Default", stock_on_hand=stock, reserved=reserved)
    return Product(
        store_id="s",
        slug=slug,
        title=slug.title(),
        price=Money(price, "EUR"),
        category="c",
        variants=(only,),
        status=status,
        deleted=deleted,
    )


def line(slug: str = "lamp", quantity: int = 2, price: int = 2500, variant: str = "v1") -> CartLine:
    return CartLine(variant, slug, f"SKU-{slug}", slug.title(), "Default", quantity, Money(price, "EUR"), THEN)


def empty() -> Cart:
    return Cart.empty("s", CartOwner.GUEST, "session", "EUR")


def holding(*lines: CartLine) -> Cart:
    return replace(empty(), lines=lines, updated_at=int(NOW) - 60, expires_at=int(NOW) + 3600, version=4)


# (the catalog now, the cart before, the reminder's line) -> (quantity in the cart after, reason it fell short)
CASES = {
    "all there": (product(), empty(), line(quantity=2), 2, None),
    "price changed: restored at today's": (product(price=2900), empty(), line(), 2, None),
    "out of stock": (product(stock=0), empty(), line(), 0, Shortfall.OUT_OF_STOCK),
    "all of it held by checkouts": (product(stock=4, reserved=4), empty(), line(), 0, Shortfall.OUT_OF_STOCK),
    "partly available: capped": (product(stock=3), empty(), line(quantity=5), 3, Shortfall.PARTLY_AVAILABLE),
    "product deleted": (product(deleted=True), empty(), line(), 0, Shortfall.NO_LONGER_SOLD),
    "product unpublished": (product(status=ProductStatus.DRAFT), empty(), line(), 0, Shortfall.NO_LONGER_SOLD),
    "product gone from the catalog": (None, empty(), line(), 0, Shortfall.NO_LONGER_SOLD),
    "variant gone": (product(variant="v2"), empty(), line(), 0, Shortfall.VARIANT_GONE),
    "already in the cart": (product(), holding(line(quantity=2)), line(quantity=2), 2, None),
    "more already in the cart: never lowered": (product(), holding(line(quantity=4)), line(quantity=2), 4, None),
    "fewer in the cart: topped up": (product(), holding(line(quantity=1)), line(quantity=3), 3, None),
    "fewer in the cart, no more in stock": (
        product(stock=1),
        holding(line(quantity=1)),
        line(quantity=3),
        1,
        Shortfall.PARTLY_AVAILABLE,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_line_is_judged_again_against_the_catalog_now(case: str) -> None:
    found, cart, wanted, quantity, reason = CASES[case]
    products = {found.slug: found} if found else {}

    result = restore(cart, (wanted,), products, NOW)

    held = {x.item_id: x.quantity for x in result.cart.lines}
    assert held.get(wanted.item_id, 0) == quantity
    assert [(m.reason, m.in_cart) for m in result.not_restored] == ([(reason, quantity)] if reason else [])


def test_a_restored_line_costs_todays_price_and_says_it_changed() -> None:
    result = restore(empty(), (line(price=2500),), {"lamp": product(price=2900)}, NOW)

    (restored,) = result.cart.lines
    assert restored.unit_price == Money(2900, "EUR") and restored.added_at == int(NOW)
    assert [(r.line.unit_price, r.price_now) for r in result.repriced] == [(Money(2500, "EUR"), Money(2900, "EUR"))]
    assert result.cart.expires_at == int(NOW) + CART_TTL_SECONDS  # a change: the cart lives another day


def test_restoring_twice_changes_nothing_the_second_time() -> None:
    wanted = (line("lamp", 2), line("vase", 5), line("gone", 1))
    products = {"lamp": product("lamp"), "vase": product("vase", stock=3)}
    first = restore(empty(), wanted, products, NOW)

    second = restore(first.cart, wanted, products, NOW + 60)

    assert first.changed and not second.changed
    assert second.cart == first.cart
    assert [(m.line.product_slug, m.reason) for m in second.not_restored] == [
        ("vase", Shortfall.PARTLY_AVAILABLE),
        ("gone", Shortfall.NO_LONGER_SOLD),
    ]


def test_lines_of_the_cart_the_reminder_did_not_show_are_kept() -> None:
    cart = holding(line("book", 1))

    result = restore(cart, (line("lamp", 2),), {"lamp": product("lamp")}, NOW)

    assert [(x.product_slug, x.quantity) for x in result.cart.lines] == [("book", 1), ("lamp", 2)]
    assert result.cart.version == cart.version  # the write is conditioned on the version read


def test_a_full_cart_takes_no_new_line() -> None:
    cart = holding(*(line(f"p{i}", 1) for i in range(MAX_LINES)))

    result = restore(cart, (line("lamp", 1),), {"lamp": product("lamp")}, NOW)

    assert not result.changed
    assert [m.reason for m in result.not_restored] == [Shortfall.CART_FULL]


def test_tokens_are_random_and_only_their_hash_names_the_link() -> None:
    token = new_recovery_token()

    assert looks_like_recovery_token(token) and token != new_recovery_token()
    assert len(token_hash(token)) == 64 and token not in token_hash(token)
    assert not looks_like_recovery_token("x" * 31) and not looks_like_recovery_token("a" * 31 + "/")


def test_a_link_past_its_life_is_a_404_of_its_own_kind() -> None:
    link = RecoveryLink("s", "h", "guest:x", "ada@example.com", "EUR", (line(),), expires_at=int(NOW))

    assert link.usable(NOW - 1) is link
    with pytest.raises(RecoveryLinkExpired) as expired:
        link.usable(NOW)
    assert isinstance(expired.value, NotFound) and expired.value.code == "link_expired"


def test_the_link_points_at_the_storefront_when_there_is_one_else_at_the_api() -> None:
    assert recovery_url("s", "T", "https://shop.example/", "https://api") == "https://shop.example/cart/recover?token=T"
    assert recovery_url("s", "T", None, "https://api/") == "https://api/shop/s/account/cart/recover?token=T"
