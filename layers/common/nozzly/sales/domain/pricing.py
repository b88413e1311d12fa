"""A cart's, a checkout's or a manual order's totals, from integer minor units: subtotal, discount, shipping, tax,
total. One function prices all three, so what a cart shows is what a checkout charges.

Prices are net: tax is added on top, at the store's rate for the destination country, on the discounted
goods plus shipping (shipping follows the goods' rate, as EU VAT does). Every amount is rounded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nozzly.catalog.domain.catalog import Product
from nozzly.kernel.domain.money import Money
from nozzly.promotions.domain.coupons import Coupon, eligible_subtotal


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    tax_basis_points: int
    total: Money


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A line at the price it sells for, with what a coupon's restrictions look at."""

    total: Money
    product_slug: str
    category_path: tuple[str, ...]

    @staticmethod
    def of(total: Money, product: Product) -> PricedLine:
        return PricedLine(total, product.slug, product.category_path or (product.category,))


@dataclass(frozen=True, slots=True)
class CouponUse:
    """The code applied, and how often this shopper has used it (their own limit counts those)."""

    coupon: Coupon
    shopper_uses: int = 0


def price(
    lines: Sequence[PricedLine],
    *,
    currency: str,
    tax_basis_points: int,
    now: float,
    coupon: CouponUse | None = None,
    shipping: Money | None = None,
) -> Totals:
    """The totals, or CouponNotApplicable saying why the code gives these lines nothing now (unusable, below its
    minimum subtotal, no line it applies to). A discount never exceeds the subtotal: a total is never negative."""
    subtotal = Money.zero(currency)
    for line in lines:
        subtotal += line.total
    discount = Money.zero(currency)
    if coupon is not None:
        coupon.coupon.check_usable(now, shopper_uses=coupon.shopper_uses)
        eligible = eligible_subtotal(coupon.coupon, [(x.total, x.product_slug, x.category_path) for x in lines])
        discount = min(coupon.coupon.discount(subtotal, eligible), subtotal)
    shipping = shipping if shipping is not None else Money.zero(currency)
    taxable = subtotal - discount + shipping
    tax = taxable.percent(tax_basis_points)
    return Totals(
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        tax=tax,
        tax_basis_points=tax_basis_points,
        total=taxable + tax,
    )
