"""The figures pushed live to a store's dashboard (the `DashboardCounters` bus event and WebSocket message)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from nozzly.analytics.contracts.dashboard import PeriodOut, RevenueOut
from nozzly.analytics.domain.sales_figures import Comparison

DASHBOARD_COUNTERS = "DashboardCounters"


class DashboardCountersOut(BaseModel):
    """What the dashboard's revenue cards and order pipeline show, in the shape GET .../dashboard answers them,
    read from the sales aggregates right after an order's change was applied to them."""

    today: date = Field(description="Today in the store's zone: the day the figures are of.")
    currency: str
    revenue: RevenueOut = Field(description="Today, this week and this month against their previous stretches.")
    pipeline: dict[str, int] = Field(description="How many orders are in each status now.")

    @classmethod
    def of(
        cls, today: date, currency: str, periods: dict[str, Comparison], pipeline: dict[str, int]
    ) -> DashboardCountersOut:
        revenue = RevenueOut(**{name: PeriodOut.of(c, currency) for name, c in periods.items()})
        return cls(today=today, currency=currency, revenue=revenue, pipeline=pipeline)
