"""What a checkout and the order it becomes show alike: the lines as bought and the totals.

Small on purpose: the order functions import it without the cart and checkout request models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nozzly.kernel.contracts.money import MoneyOut
from nozzly.sales.domain.pricing import Totals


class TaxPortionOut(BaseModel):
    rate_basis_points: int = Field(description="The rate (1900 = 19 %).")
    net: MoneyOut = Field(description="What was taxed at this rate, net of tax.")
    tax: MoneyOut


class TotalsOut(BaseModel):
    subtotal: MoneyOut
    discount: MoneyOut
    shipping: MoneyOut = Field(description="Zero until checkout picks a shipping method.")
    tax: MoneyOut = Field(
        description="Estimated for the store's home country until checkout knows the address. Added to the total, "
        "or contained in the prices when tax_included is true."
    )
    tax_included: bool = Field(
        description="The store's prices include tax: `tax` is the part of the total that is tax."
    )
    taxes: list[TaxPortionOut] = Field(description="Tax per rate, highest first; their tax adds up to `tax`.")
    tax_rate_basis_points: int = Field(description="The destination's standard rate.")
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
        tax_included=t.tax_included,
        taxes=[
            TaxPortionOut(rate_basis_points=p.basis_points, net=MoneyOut.of(p.net), tax=MoneyOut.of(p.tax))
            for p in t.taxes
        ],
        tax_rate_basis_points=t.tax_basis_points,
        total=MoneyOut.of(t.total),
    )
