"""Response bodies shared by the dashboard and the reports: a stretch of days' sales figures."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from nozzly.analytics.domain.reports import percent
from nozzly.analytics.domain.sales_figures import ProductSales, Sum
from nozzly.analytics.domain.visits import ProductVisits, VisitFigures
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
    views: int | None = Field(default=None, description="Product page views reported by the storefront (reports).")
    visitors: int | None = Field(default=None, description="Distinct visitors who viewed it (approximate, +-2 %).")
    add_to_carts: int | None = Field(default=None, description="Times it was added to a cart.")
    add_to_cart_percent: float | None = Field(default=None, description="Adds to cart per 100 views.")
    units_per_100_visitors: float | None = Field(default=None, description="Units sold per 100 distinct visitors.")

    @classmethod
    def of(
        cls, p: ProductSales, currency: str, titles: dict[str, str], visits: ProductVisits | None = None
    ) -> ProductSalesOut:
        found = cls(
            product=p.product,
            title=titles.get(p.product),
            units=p.units,
            revenue=MoneyOut.of(Money(p.revenue, currency)),
            variants=[
                VariantSalesOut(variant_id=v, units=u, revenue=MoneyOut.of(Money(r, currency)))
                for v, (u, r) in sorted(p.variants.items())
            ],
        )
        if visits is None:
            return found
        return found.model_copy(
            update={
                "views": visits.views,
                "visitors": visits.visitors,
                "add_to_carts": visits.add_to_carts,
                "add_to_cart_percent": percent(visits.add_to_carts, visits.views),
                "units_per_100_visitors": percent(p.units, visits.visitors),
            }
        )


class VisitsOut(BaseModel):
    """What the storefront reported over the range (POST /stores/{store}/events)."""

    page_views: int
    product_views: int
    searches: int
    add_to_carts: int
    checkouts_started: int
    visitors: int = Field(description="Distinct visitors over the whole range (HyperLogLog, about +-2 %).")
    orders_per_100_visitors: float | None = Field(description="Orders placed per 100 distinct visitors.")

    @classmethod
    def of(cls, v: VisitFigures, orders: int) -> VisitsOut:
        return cls(
            page_views=sum(d.page_views for d in v.days),
            product_views=sum(d.product_views for d in v.days),
            searches=sum(d.searches for d in v.days),
            add_to_carts=sum(d.add_to_carts for d in v.days),
            checkouts_started=sum(d.checkouts_started for d in v.days),
            visitors=v.visitors,
            orders_per_100_visitors=percent(orders, v.visitors),
        )
