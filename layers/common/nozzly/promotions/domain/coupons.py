"""Coupons (promo codes): percent or fixed amount, a minimum subtotal, a validity window, usage limits and
product/category restrictions. Pure Python.

A cart applies one coupon and shows its discount; uses are counted only when an order is placed, by a
conditional write in the checkout (`uses < max_uses`), so a code limited to N uses is used at most N times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]{1,39}$"
_CODE = re.compile(CODE_PATTERN)


class CouponNotApplicable(InvalidInput):
    code = "coupon_not_applicable"


class CouponKind(StrEnum):
    PERCENT = "percent"  # value in basis points: 1500 = 15 %
    FIXED = "fixed"  # value in the store currency's minor units


def normalise_code(raw: str) -> str:
    code = raw.strip().upper()
    if not _CODE.match(code):
        raise InvalidInput("a code is 2-40 letters, digits, '-' or '_'", field="code")
    return code


@dataclass(frozen=True, slots=True)
class Coupon:
    store_id: str
    code: str
    kind: CouponKind
    value: int
    currency: str
    min_subtotal: int = 0  # minor units of the cart's subtotal before discounts
    valid_from: int | None = None  # epoch seconds
    valid_until: int | None = None
    max_uses: int | None = None  # across all shoppers
    max_uses_per_shopper: int | None = None
    products: frozenset[str] = frozenset()  # product slugs; empty and no categories: the whole cart
    categories: frozenset[str] = frozenset()  # category slugs, subtrees included
    active: bool = True
    uses: int = 0

    def __post_init__(self) -> None:
        if self.kind is CouponKind.PERCENT and not 1 <= self.value <= 10_000:
            raise InvalidInput("a percent coupon takes 1 to 10000 basis points (0.01 % to 100 %)", field="value")
        if self.kind is CouponKind.FIXED and self.value < 1:
            raise InvalidInput("a fixed coupon takes a positive amount", field="value")
        if self.min_subtotal < 0:
            raise InvalidInput("the minimum subtotal cannot be negative", field="min_subtotal")
        if self.valid_from is not None and self.valid_until is not None and self.valid_until <= self.valid_from:
            raise InvalidInput("valid_until must be after valid_from", field="valid_until")
        for name in ("max_uses", "max_uses_per_shopper"):
            limit = getattr(self, name)
            if limit is not None and limit < 1:
                raise InvalidInput("a usage limit is at least 1 (omit it for none)", field=name)

    @property
    def restricted(self) -> bool:
        return bool(self.products or self.categories)

    def applies_to(self, product_slug: str, category_path: tuple[str, ...]) -> bool:
        if not self.restricted:
            return True
        return product_slug in self.products or bool(self.categories.intersection(category_path))

    def check_usable(self, now: float, *, shopper_uses: int = 0) -> None:
        """Whether the code can be used at all now (not yet: whether this cart qualifies)."""
        if not self.active:
            raise CouponNotApplicable("this code is not active", field="code")
        if self.valid_from is not None and now < self.valid_from:
            raise CouponNotApplicable("this code is not valid yet", field="code")
        if self.valid_until is not None and now >= self.valid_until:
            raise CouponNotApplicable("this code has expired", field="code")
        if self.max_uses is not None and self.uses >= self.max_uses:
            raise CouponNotApplicable("this code has been used up", field="code")
        if self.max_uses_per_shopper is not None and shopper_uses >= self.max_uses_per_shopper:
            raise CouponNotApplicable("you have already used this code", field="code")

    def discount(self, subtotal: Money, eligible_subtotal: Money) -> Money:
        """The discount on a cart: `eligible_subtotal` is what the restrictions let it apply to."""
        if subtotal.currency != self.currency:
            raise CouponNotApplicable("this code is for another currency", field="code")
        if subtotal.amount < self.min_subtotal:
            minimum = Money(self.min_subtotal, self.currency).to_decimal_string()
            raise CouponNotApplicable(f"this code needs a subtotal of at least {minimum}", field="code")
        if eligible_subtotal.amount == 0:
            raise CouponNotApplicable("no item in the cart qualifies for this code", field="code")
        if self.kind is CouponKind.PERCENT:
            return eligible_subtotal.percent(self.value)
        return min(Money(self.value, self.currency), eligible_subtotal)


def eligible_subtotal(coupon: Coupon, lines: list[tuple[Money, str, tuple[str, ...]]]) -> Money:
    """Sum of (line total, product slug, category path) for the lines the coupon applies to."""
    total = Money.zero(coupon.currency)
    for amount, slug, path in lines:
        if coupon.applies_to(slug, path):
            total += amount
    return total
