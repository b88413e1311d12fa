"""Report bodies: JSON, or CSV for `Accept: text/csv` (a spreadsheet opens it as it is)."""

from __future__ import annotations

import csv
import io
from datetime import date

from pydantic import BaseModel, Field

from nozzly.analytics.contracts.sales_figures import ProductSalesOut, SumOut, VisitsOut
from nozzly.analytics.domain.reports import ProductReport, SalesReport
from nozzly.analytics.domain.sales_figures import Granularity, ProductSort
from nozzly.kernel.domain.money import Money

CSV = "text/csv"


class RangeOut(BaseModel):
    first: date = Field(description="First store-local day included (the query's `from`).")
    last: date = Field(description="Last store-local day included (the query's `to`).")
    currency: str
    timezone: str


class SalesReportOut(BaseModel):
    range: RangeOut
    granularity: Granularity
    series: list[SumOut] = Field(description="One entry per day, week (from Monday) or month; empty ones included.")
    totals: SumOut
    visits: VisitsOut

    @classmethod
    def of(cls, r: SalesReport) -> SalesReportOut:
        cur = r.range.currency
        return cls(
            range=RangeOut(first=r.range.first, last=r.range.last, currency=cur, timezone=r.range.timezone),
            granularity=r.granularity,
            series=[SumOut.of(s, cur) for s in r.series],
            totals=SumOut.of(r.totals, cur),
            visits=VisitsOut.of(r.visits, r.totals.orders),
        )


class ProductReportOut(BaseModel):
    range: RangeOut
    sort: ProductSort
    products: list[ProductSalesOut] = Field(
        description="Every product sold in the range, best first, then those only viewed, most viewed first."
    )

    @classmethod
    def of(cls, r: ProductReport) -> ProductReportOut:
        cur = r.range.currency
        return cls(
            range=RangeOut(first=r.range.first, last=r.range.last, currency=cur, timezone=r.range.timezone),
            sort=r.sort,
            products=[ProductSalesOut.of(p, cur, r.titles, r.visits.get(p.product)) for p in r.products],
        )


def _decimal(amount: int, currency: str) -> str:
    return Money(amount, currency).to_decimal_string()


def _csv(header: list[str], rows: list[list[str | int]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def sales_csv(r: SalesReport) -> str:
    cur = r.range.currency
    header = [
        "from", "to", "currency", "orders", "units", "gross_sales", "discounts", "tax", "shipping", "refunds",
        "voided", "net_sales", "average_order_value", "new_customers",
    ]  # fmt: skip
    rows: list[list[str | int]] = [
        [
            s.first.isoformat(),
            s.last.isoformat(),
            cur,
            s.orders,
            s.units,
            _decimal(s.gross, cur),
            _decimal(s.discounts, cur),
            _decimal(s.tax, cur),
            _decimal(s.shipping, cur),
            _decimal(s.refunds, cur),
            _decimal(s.voided, cur),
            _decimal(s.net, cur),
            _decimal(s.average_order, cur),
            s.new_customers,
        ]
        for s in r.series
    ]
    return _csv(header, rows)


def products_csv(r: ProductReport) -> str:
    cur = r.range.currency
    rows: list[list[str | int]] = []
    for p in r.products:
        seen = r.visits.get(p.product)
        views, visitors, carts = (seen.views, seen.visitors, seen.add_to_carts) if seen else (0, 0, 0)
        rows.append(
            [p.product, r.titles.get(p.product, ""), p.units, _decimal(p.revenue, cur), cur, views, visitors, carts]
        )
    return _csv(["product", "title", "units", "revenue", "currency", "views", "visitors", "add_to_carts"], rows)
