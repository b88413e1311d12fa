"""The owner's daily summary email: when a store's is due, and what it says. Pure Python.

A store that opted in (general settings' `daily_summary`) gets the summary of its local yesterday once its local
clock has reached SEND_HOUR; the hourly run sends it at the first run at or after that hour. Until local midnight
the same day stays due (a run that failed is caught up later that day); after midnight the next day is due, so a
day missed all day long is never sent a day late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from nozzly.analytics.domain.dashboard import Attention
from nozzly.analytics.domain.sales_figures import (
    Comparison,
    DayFigures,
    ProductSales,
    ProductSort,
    product_sales,
    ranked,
    total,
)

SEND_HOUR: Final = 7  # local time: the first hourly run at or after 07:00 sends
TOP_PRODUCTS: Final = 3


def summarised_day(now: float, tz: ZoneInfo) -> date | None:
    """The local day whose summary is due at `now` (yesterday, once the local hour reached SEND_HOUR); None before.

    Wall-clock time, so a DST change moves the sending hour with the store's clocks, as people expect."""
    local = datetime.fromtimestamp(now, UTC).astimezone(tz)
    if local.hour < SEND_HOUR:
        return None
    return local.date() - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DailySummary:
    """A day's sales against the day before, in the store's currency's minor units."""

    day: date
    currency: str
    net: int
    orders: int
    refunds: int
    average_order: int
    change_percent: float | None  # net sales against the day before; None when that day sold nothing
    top: tuple[ProductSales, ...]  # by units, best first
    attention: tuple[Attention, ...]  # only what needs someone (count above zero)


def daily_summary(day: date, currency: str, figures: list[DayFigures], attention: list[Attention]) -> DailySummary:
    """`figures`: the counters of `day` and the day before (days that sold nothing may be absent)."""
    comparison = Comparison(total(figures, day, day), total(figures, day - timedelta(days=1), day - timedelta(days=1)))
    current = comparison.current
    return DailySummary(
        day=day,
        currency=currency,
        net=current.net,
        orders=current.orders,
        refunds=current.refunds,
        average_order=current.average_order,
        change_percent=comparison.change_percent,
        top=tuple(ranked(product_sales(figures, day, day), ProductSort.UNITS, TOP_PRODUCTS)),
        attention=tuple(a for a in attention if a.count > 0),
    )
