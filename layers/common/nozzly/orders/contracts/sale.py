"""What a checkout and the order it becomes show alike: the lines as bought and the totals.

Small on purpose: the order functions import it without the cart and checkout request models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nozzly.kernel.contracts.money import MoneyOut
from nozzly.sales.domain.pricing import Totals


class TotalsOut(BaseModel):
    subtotal: MoneyOut
    discount: MoneyOut
    shipping: MoneyOut = Field(description="Zero until checkout picks a shipping method.")
    tax: MoneyOut = Field(description="Estimated at the store's home rate until checkout knows the address.")
    tax_rate_basis_points: int
    total: MoneyOut


class CheckoutLineOut(BaseModel):
    variant_id: str
    product: str
    sku: str
    title: str
    variant_title: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut


def totals_out(t: Totals) -> TotalsOut:
    return TotalsOut(
        subtotal=MoneyOut.of(t.subtotal),
        discount=MoneyOut.of(t.discount),
        shipping=MoneyOut.of(t.shipping),
        tax=MoneyOut.of(t.tax),
        tax_rate_basis_points=t.tax_basis_points,
        total=MoneyOut.of(t.total),
    )
