"""A cart's or an order's totals from integer minor units: subtotal, discount, shipping, tax, total.

Prices are net: tax is added on top, at the store's rate for the destination country, on the discounted
goods plus shipping (shipping follows the goods' rate, as EU VAT does). Every amount is rounded once.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.kernel.domain.money import Money


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    tax_basis_points: int
    total: Money


def totals(subtotal: Money, *, discount: Money, shipping: Money, tax_basis_points: int) -> Totals:
    """A discount never exceeds the subtotal, so a total is never negative."""
    discount = min(discount, subtotal)
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
