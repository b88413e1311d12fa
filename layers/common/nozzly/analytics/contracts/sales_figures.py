"""Response bodies shared by the dashboard and the reports: a stretch of days' sales figures."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from nozzly.analytics.domain.sales_figures import ProductSales, Sum
from nozzly.kernel.contracts.money import MoneyOut
from nozzly.kernel.domain.money import Money


class SumOut(BaseModel):
    first: date = Field(description="First store-local day included.")
    last: date = Field(description="Last store-local day included.")
    net_sales: MoneyOut = Field(description="Gross sales less refunds and orders voided before payment.")
    gross_sales: MoneyOut = Field(description="What the orders placed in these days charge (tax, shipping included).")
    refunds: MoneyOut = Field(description="Refunds the provider accepted in these days, whichever day the order is of.")
    voided: MoneyOut = Field(description="Cash orders cancelled or returned before they were paid.")
    discounts: MoneyOut
    tax: MoneyOut
    shipping: MoneyOut
    orders: int = Field(description="Orders placed.")
    units: int = Field(description="Items in the orders placed.")
    average_order_value: MoneyOut = Field(description="Gross sales per order placed.")
    new_customers: int = Field(description="Orders that were their email's first in the store.")

    @classmethod
    def of(cls, s: Sum, currency: str) -> SumOut:
        def m(amount: int) -> MoneyOut:
            return MoneyOut.of(Money(amount, currency))

        return cls(
            first=s.first,
            last=s.last,
            net_sales=m(s.net),
            gross_sales=m(s.gross),
            refunds=m(s.refunds),
            voided=m(s.voided),
            discounts=m(s.discounts),
            tax=m(s.tax),
            shipping=m(s.shipping),
            orders=s.orders,
            units=s.units,
            average_order_value=m(s.average_order),
            new_customers=s.new_customers,
        )


class VariantSalesOut(BaseModel):
    variant_id: str
    units: int
    revenue: MoneyOut


class ProductSalesOut(BaseModel):
    product: str = Field(description="The product's slug.")
    title: str | None = Field(description="Its title today; None if it was deleted since.")
    units: int = Field(description="Units sold, less those of orders voided before payment.")
    revenue: MoneyOut = Field(description="Line revenue (before order discounts, shipping and tax).")
    variants: list[VariantSalesOut]

    @classmethod
    def of(cls, p: ProductSales, currency: str, titles: dict[str, str]) -> ProductSalesOut:
        return cls(
            product=p.product,
            title=titles.get(p.product),
            units=p.units,
            revenue=MoneyOut.of(Money(p.revenue, currency)),
            variants=[
                VariantSalesOut(variant_id=v, units=u, revenue=MoneyOut.of(Money(r, currency)))
                for v, (u, r) in sorted(p.variants.items())
            ],
        )
