"""A cart's, a checkout's or a manual order's totals, from integer minor units: subtotal, discount, shipping, tax,
total. One function prices all three, so what a cart shows is what a checkout charges.

Tax follows the store's rules for the destination (stores/domain/tax_rules.py), computed by sales/domain/tax.py:
added on top of net prices or contained in gross ones, per tax class, on the discounted goods and (if taxed) the
shipping. The tax is the sum of its portions per rate, and the total the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nozzly.catalog.domain.catalog import Product
from nozzly.kernel.domain.money import Money
from nozzly.promotions.domain.coupons import Coupon, eligible_subtotal
from nozzly.sales.domain.tax import TaxBase, TaxPortion, bases, portions, shared
from nozzly.stores.domain.tax_rules import AppliedTax


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    tax_basis_points: int  # the destination's standard rate (each portion has its own)
    total: Money
    tax_included: bool = False  # the prices contain the tax: it is shown, not added
    taxes: tuple[TaxPortion, ...] = ()  # per rate, highest first; their tax adds up to `tax`


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
    tax: AppliedTax,
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
    discounts = [Money.zero(currency) for _ in lines]
    if coupon is not None:
        coupon.coupon.check_usable(now, shopper_uses=coupon.shopper_uses)
        eligible = eligible_subtotal(coupon.coupon, [(x.total, x.product_slug, x.category_path) for x in lines])
        discount = min(coupon.coupon.discount(subtotal, eligible), subtotal)
        applies = [coupon.coupon.applies_to(x.product_slug, x.category_path) for x in lines]
        weights = [x.total.amount if ok else 0 for x, ok in zip(lines, applies, strict=True)]
        if sum(weights) < discount.amount:  # more off than the eligible lines hold: the rest comes off the others
            weights = [x.total.amount for x in lines]
        discounts = shared(discount, weights)
    shipping = shipping if shipping is not None else Money.zero(currency)
    goods = [TaxBase(x.total, tax.rate_for(x.category_path)) for x in lines]
    parts = portions(bases(goods, discounts, shipping, tax), currency, tax)
    tax_amount = Money(sum(p.tax.amount for p in parts), currency)
    paid = subtotal - discount + shipping
    return Totals(
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        tax=tax_amount,
        tax_basis_points=tax.standard_bp,
        total=paid if tax.prices_include_tax else paid + tax_amount,
        tax_included=tax.prices_include_tax,
        taxes=parts,
    )
