"""The operator dashboard's response body."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from nozzly.analytics.contracts.sales_figures import ProductSalesOut, SumOut
from nozzly.analytics.domain.dashboard import Attention, DashboardView
from nozzly.analytics.domain.sales_figures import Comparison, DayFigures
from nozzly.kernel.contracts.money import MoneyOut
from nozzly.kernel.domain.money import Money


class PeriodOut(BaseModel):
    current: SumOut
    previous: SumOut = Field(description="The stretch of equal length just before (last month: its first days).")
    change_percent: float | None = Field(
        description="Net sales against the previous stretch, in percent (one decimal); null when that was zero."
    )

    @classmethod
    def of(cls, c: Comparison, currency: str) -> PeriodOut:
        return cls(
            current=SumOut.of(c.current, currency),
            previous=SumOut.of(c.previous, currency),
            change_percent=c.change_percent,
        )


class RevenueOut(BaseModel):
    today: PeriodOut
    week: PeriodOut = Field(description="Since Monday, against the same days of last week.")
    month: PeriodOut = Field(description="Since the 1st, against as many first days of last month.")


class AttentionItemOut(BaseModel):
    ref: str = Field(description="The order id, product slug (with variant) or review the item is about.")
    label: str
    at: int | None = Field(description="When it started (epoch seconds), where known.")


class AttentionOut(BaseModel):
    kind: str = Field(
        description="orders_unshipped, cash_orders_unpaid, low_stock, reviews_pending", examples=["orders_unshipped"]
    )
    count: int
    more: bool = Field(description="True when more exist than were counted: the count is a floor.")
    items: list[AttentionItemOut] = Field(description="The first few.")
    link: str = Field(description="The API list that shows them all.")

    @classmethod
    def of(cls, a: Attention) -> AttentionOut:
        return cls(
            kind=a.kind,
            count=a.count,
            more=a.more,
            items=[AttentionItemOut(ref=i.ref, label=i.label, at=i.at) for i in a.items],
            link=a.link,
        )


class CustomersOut(BaseModel):
    total: int = Field(description="Emails that have ordered at least once.")
    new_this_week: int
    new_this_month: int


class ActivityOut(BaseModel):
    at: int = Field(description="Epoch seconds.")
    kind: str
    text: str
    ref: str | None


class ChartDayOut(BaseModel):
    day: date
    net_sales: MoneyOut
    orders: int


class TopSellersOut(BaseModel):
    by_units: list[ProductSalesOut]
    by_revenue: list[ProductSalesOut]


class DashboardOut(BaseModel):
    store_id: str
    currency: str
    timezone: str = Field(description="The store's IANA zone: its days start at its midnight.")
    today: date = Field(description="Today in the store's zone.")
    pipeline: dict[str, int] = Field(description="How many orders are in each status now.")
    attention: list[AttentionOut]
    customers: CustomersOut
    recent_activity: list[ActivityOut] = Field(description="The store's last events, newest first.")
    revenue: RevenueOut | None = Field(description="Null for roles without reports.read.")
    top_sellers: TopSellersOut | None = Field(description="Last 30 days; null for roles without reports.read.")
    sales_chart: list[ChartDayOut] | None = Field(
        description="The last 30 days, oldest first; null for roles without reports.read."
    )

    @classmethod
    def of(cls, v: DashboardView) -> DashboardOut:
        cur = v.currency

        def day(f: DayFigures) -> ChartDayOut:
            return ChartDayOut(day=f.day, net_sales=MoneyOut.of(Money(f.net, cur)), orders=f.orders)

        revenue = RevenueOut(**{name: PeriodOut.of(c, cur) for name, c in v.revenue.items()}) if v.revenue else None
        top = (
            TopSellersOut(
                by_units=[ProductSalesOut.of(p, cur, v.titles) for p in v.top_by_units or ()],
                by_revenue=[ProductSalesOut.of(p, cur, v.titles) for p in v.top_by_revenue or ()],
            )
            if v.revenue
            else None
        )
        return cls(
            store_id=v.store_id,
            currency=cur,
            timezone=v.timezone,
            today=v.today,
            pipeline=v.pipeline,
            attention=[AttentionOut.of(a) for a in v.attention],
            customers=CustomersOut(
                total=v.customers.total,
                new_this_week=v.customers.new_this_week,
                new_this_month=v.customers.new_this_month,
            ),
            recent_activity=[ActivityOut(at=a.at, kind=a.kind, text=a.text, ref=a.ref) for a in v.recent_activity],
            revenue=revenue,
            top_sellers=top,
            sales_chart=[day(f) for f in v.chart] if v.chart is not None else None,
        )
