"""Totals and coupons in integer minor units."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.promotions.domain.coupons import Coupon, CouponKind, CouponNotApplicable, eligible_subtotal, normalise_code
from nozzly.sales.domain.pricing import CouponUse, PricedLine, price
from nozzly.stores.domain.tax_rules import AppliedTax


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def coupon(**kw: object) -> Coupon:
    fields: dict[str, object] = {"store_id": "s", "code": "C", "kind": CouponKind.PERCENT, "value": 1000} | kw
    return Coupon(currency="EUR", **fields)  # type: ignore[arg-type]


def line(amount: int, slug: str = "sword", path: tuple[str, ...] = ("blades",)) -> PricedLine:
    return PricedLine(eur(amount), slug, path)


def test_tax_is_on_discounted_goods_plus_shipping_rounded_once() -> None:
    fixed = coupon(kind=CouponKind.FIXED, value=1_000)
    t = price(
        [line(6_000), line(4_005, "dagger")],
        currency="EUR",
        coupon=CouponUse(fixed),
        shipping=eur(495),
        tax=AppliedTax.flat(1900),
        now=0,
    )

    assert (t.subtotal, t.discount, t.shipping) == (eur(10_005), eur(1_000), eur(495))
    assert t.tax == eur(1_805)  # 19 % of 95.00 = 18.05
    assert t.total == eur(11_305)


def test_tax_rounds_half_to_even_once_on_the_whole_taxable_amount() -> None:
    # 7 % of 10.50 + 0.00 = 0.735 -> 0.74 (half to even on the last digit); of 10.70 = 0.749 -> 0.75
    assert price([line(1_050)], currency="EUR", tax=AppliedTax.flat(700), now=0).tax == eur(74)
    assert price([line(1_070)], currency="EUR", tax=AppliedTax.flat(700), now=0).tax == eur(75)


def test_no_code_no_shipping_no_tax_is_the_subtotal() -> None:
    t = price([line(1_200), line(300, "dagger")], currency="EUR", tax=AppliedTax.flat(0), now=0)

    assert (t.subtotal, t.discount, t.shipping, t.tax, t.total) == (eur(1_500), eur(0), eur(0), eur(0), eur(1_500))


def test_a_percent_code_discounts_only_the_lines_it_applies_to_and_shipping_is_never_discounted() -> None:
    blades = coupon(value=2_500, categories=frozenset({"blades"}))
    t = price(
        [line(4_000), line(2_000, "shield", ("shields",))],
        currency="EUR",
        coupon=CouponUse(blades),
        shipping=eur(500),
        tax=AppliedTax.flat(1000),
        now=0,
    )

    assert t.discount == eur(1_000)  # 25 % of the 40.00 sword only
    assert t.tax == eur(550)  # 10 % of 60.00 - 10.00 + 5.00
    assert t.total == eur(6_050)


def test_a_code_below_its_minimum_subtotal_is_refused_with_the_minimum() -> None:
    minimum = coupon(min_subtotal=5_000)
    with pytest.raises(CouponNotApplicable) as refused:
        price([line(4_999)], currency="EUR", coupon=CouponUse(minimum), tax=AppliedTax.flat(0), now=0)
    assert refused.value.message == "this code needs a subtotal of at least 50.00"

    t = price([line(5_000)], currency="EUR", coupon=CouponUse(minimum), tax=AppliedTax.flat(0), now=0)
    assert t.discount == eur(500)


def test_a_shoppers_used_up_code_prices_nothing() -> None:
    once = CouponUse(coupon(max_uses_per_shopper=1), shopper_uses=1)
    with pytest.raises(CouponNotApplicable):
        price([line(1_000)], currency="EUR", coupon=once, tax=AppliedTax.flat(0), now=0)


def test_a_discount_never_makes_a_total_negative() -> None:
    huge = coupon(kind=CouponKind.FIXED, value=2_000)
    t = price([line(500)], currency="EUR", coupon=CouponUse(huge), shipping=eur(0), tax=AppliedTax.flat(2000), now=0)

    assert t.discount == eur(500) and t.tax == eur(0) and t.total == eur(0)
    whole = price([line(500)], currency="EUR", coupon=CouponUse(coupon(value=10_000)), tax=AppliedTax.flat(0), now=0)
    assert whole.total == eur(0)


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
