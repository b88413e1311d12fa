"""Operators' coupon rules: a new coupon's code and currency, what a change may touch, restriction targets."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain.catalog import Store
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.promotions.domain.coupon_admin import MAX_RESTRICTIONS, CouponTerms, changed, check_targets, new_coupon
from nozzly.promotions.domain.coupons import CouponKind

pytestmark = pytest.mark.unit
YEN_STORE = Store(store_id="kyoto-knives", name="Kyoto Knives", currency="JPY", country="JP")
TEN_PERCENT = CouponTerms(kind=CouponKind.PERCENT, value=1000, categories=frozenset({"blades"}))


def test_a_new_coupon_is_in_its_stores_currency_with_a_normalised_code_and_no_uses() -> None:
    coupon = new_coupon(YEN_STORE, "  spring_sale ", TEN_PERCENT)

    assert (coupon.store_id, coupon.code, coupon.currency, coupon.uses) == ("kyoto-knives", "SPRING_SALE", "JPY", 0)
    assert coupon.categories == {"blades"}


def test_a_change_keeps_what_it_does_not_name() -> None:
    coupon = new_coupon(YEN_STORE, "SPRING", TEN_PERCENT)

    after = changed(coupon, {"value": 2500, "max_uses": 10})

    assert (after.value, after.max_uses, after.categories, after.code) == (2500, 10, frozenset({"blades"}), "SPRING")


@pytest.mark.parametrize("name", ["code", "currency", "uses", "store_id"])
def test_the_key_the_currency_and_the_use_counter_cannot_be_changed(name: str) -> None:
    coupon = new_coupon(YEN_STORE, "SPRING", TEN_PERCENT)

    with pytest.raises(InvalidInput) as refused:
        changed(coupon, {name: "X" if name != "uses" else 0})

    assert refused.value.field == name


def test_a_change_is_judged_on_the_whole_coupon_it_makes() -> None:
    fixed = new_coupon(YEN_STORE, "BIGOFF", CouponTerms(kind=CouponKind.FIXED, value=50_000))

    with pytest.raises(InvalidInput) as refused:  # 50000 basis points would be 500 %
        changed(fixed, {"kind": CouponKind.PERCENT})

    assert refused.value.field == "value"
    assert changed(fixed, {"kind": CouponKind.PERCENT, "value": 10_000}).kind is CouponKind.PERCENT


def test_restrictions_name_at_most_a_hundred_products() -> None:
    too_many = frozenset(f"p-{i}" for i in range(MAX_RESTRICTIONS + 1))

    with pytest.raises(InvalidInput) as refused:
        new_coupon(YEN_STORE, "MANY", CouponTerms(kind=CouponKind.PERCENT, value=100, products=too_many))

    assert refused.value.field == "products"


def test_only_the_targets_a_change_adds_must_be_live() -> None:
    before = new_coupon(YEN_STORE, "SPRING", TEN_PERCENT)
    after = changed(before, {"products": frozenset({"santoku"}), "categories": frozenset({"blades", "stones"})})

    check_targets(before, after, live_products={"santoku"}, live_categories={"stones"})  # "blades" was there
    with pytest.raises(InvalidInput) as refused:
        check_targets(before, after, live_products={"santoku"}, live_categories=set())
    assert (refused.value.field, refused.value.message) == ("categories", "no such category in this store: stones")
    with pytest.raises(InvalidInput) as new:
        check_targets(None, after, live_products={"santoku"}, live_categories={"stones"})
    assert new.value.field == "categories"  # a new coupon's targets are all added
