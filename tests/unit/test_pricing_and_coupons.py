"""Totals and coupons in integer minor units."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.promotions.domain.coupons import Coupon, CouponKind, CouponNotApplicable, eligible_subtotal, normalise_code
from nozzly.sales.domain.pricing import totals


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def coupon(**kw: object) -> Coupon:
    fields: dict[str, object] = {"store_id": "s", "code": "C", "kind": CouponKind.PERCENT, "value": 1000} | kw
    return Coupon(currency="EUR", **fields)  # type: ignore[arg-type]


def test_tax_is_on_discounted_goods_plus_shipping_rounded_once() -> None:
    t = totals(eur(10_005), discount=eur(1_000), shipping=eur(495), tax_basis_points=1900)

    assert (t.subtotal, t.discount, t.shipping) == (eur(10_005), eur(1_000), eur(495))
    assert t.tax == eur(1_805)  # 19 % of 95.00 = 18.05
    assert t.total == eur(11_305)


def test_a_discount_never_makes_a_total_negative() -> None:
    t = totals(eur(500), discount=eur(2_000), shipping=eur(0), tax_basis_points=2000)

    assert t.discount == eur(500) and t.total == eur(0)


def test_percent_and_fixed_discounts() -> None:
    assert coupon(value=1500).discount(eur(3_333), eur(3_333)) == eur(500)  # 499.95 rounds half-even to 500
    assert coupon(kind=CouponKind.FIXED, value=1_000).discount(eur(5_000), eur(400)) == eur(400)


def test_restrictions_pick_the_eligible_lines() -> None:
    blades = coupon(categories=frozenset({"blades"}))
    lines = [
        (eur(1_000), "sword", ("blades",)),
        (eur(500), "dagger", ("blades", "daggers")),
        (eur(800), "shield", ("shields",)),
    ]

    assert eligible_subtotal(blades, lines) == eur(1_500)
    assert eligible_subtotal(coupon(products=frozenset({"shield"})), lines) == eur(800)
    assert eligible_subtotal(coupon(), lines) == eur(2_300)


@pytest.mark.parametrize(
    ("kw", "now", "message"),
    [
        ({"valid_from": 2_000}, 1_999, "this code is not valid yet"),
        ({"valid_until": 2_000}, 2_000, "this code has expired"),
        ({"max_uses": 1, "uses": 1}, 0, "this code has been used up"),
        ({"active": False}, 0, "this code is not active"),
    ],
)
def test_unusable_codes_say_why(kw: dict[str, object], now: float, message: str) -> None:
    with pytest.raises(CouponNotApplicable) as refused:
        coupon(**kw).check_usable(now)
    assert refused.value.message == message


def test_a_shoppers_own_limit() -> None:
    limited = coupon(max_uses_per_shopper=1)
    limited.check_usable(0, shopper_uses=0)
    with pytest.raises(CouponNotApplicable):
        limited.check_usable(0, shopper_uses=1)


@pytest.mark.parametrize(
    "kw",
    [
        {"value": 0},
        {"value": 10_001},
        {"kind": CouponKind.FIXED, "value": 0},
        {"max_uses": 0},
        {"min_subtotal": -1},
        {"valid_from": 10, "valid_until": 10},
    ],
)
def test_impossible_coupons_are_refused(kw: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        coupon(**kw)


def test_codes_are_case_insensitive_and_shaped() -> None:
    assert normalise_code(" summer-24 ") == "SUMMER-24"
    with pytest.raises(InvalidInput):
        normalise_code("no spaces")
