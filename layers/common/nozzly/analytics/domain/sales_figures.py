"""Figures read back from the daily counters: periods compared, series, top sellers. Pure Python.

Everything here works on the days' counters (analytics/domain/sales_contribution.py names the metrics), never on
orders, so its cost follows the number of days asked for, not the store's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from nozzly.analytics.domain.calendar import days


@dataclass(frozen=True, slots=True)
class DayFigures:
    day: date
    orders: int = 0
    units: int = 0
    gross: int = 0
    discounts: int = 0
    tax: int = 0
    shipping: int = 0
    refunds: int = 0
    voided: int = 0
    new_customers: int = 0
    reached: dict[str, int] = field(default_factory=dict)
    variants: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (product, variant): units, revenue

    @property
    def net(self) -> int:
        """What the day's sales leave once refunds and voided orders are taken off."""
        return self.gross - self.refunds - self.voided

    @staticmethod
    def of(day: date, counters: Mapping[str, int]) -> DayFigures:
        variants: dict[tuple[str, str], tuple[int, int]] = {}
        reached: dict[str, int] = {}
        for name, amount in counters.items():
            kind, _, rest = name.partition(".")
            if kind in ("u", "r") and "/" in rest:
                product, _, variant = rest.partition("/")
                units, revenue = variants.get((product, variant), (0, 0))
                variants[(product, variant)] = (units + amount, revenue) if kind == "u" else (units, revenue + amount)
            elif kind == "reached" and rest:
                reached[rest] = amount
        return DayFigures(
            day=day,
            orders=counters.get("orders", 0),
            units=counters.get("units", 0),
            gross=counters.get("gross", 0),
            discounts=counters.get("discounts", 0),
            tax=counters.get("tax", 0),
            shipping=counters.get("shipping", 0),
            refunds=counters.get("refunds", 0),
            voided=counters.get("voided", 0),
            new_customers=counters.get("new_customers", 0),
            reached=reached,
            variants=variants,
        )


@dataclass(frozen=True, slots=True)
class Sum:
    """A stretch of days added up."""

    first: date
    last: date
    orders: int = 0
    units: int = 0
    gross: int = 0
    discounts: int = 0
    tax: int = 0
    shipping: int = 0
    refunds: int = 0
    voided: int = 0
    new_customers: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.refunds - self.voided

    @property
    def average_order(self) -> int:
        """Gross sales per order placed, rounded half up to the minor unit; 0 without orders."""
        return (2 * self.gross + self.orders) // (2 * self.orders) if self.orders else 0


def total(figures: Iterable[DayFigures], first: date, last: date) -> Sum:
    """The days of `figures` within [first, last] added up."""
    inside = [f for f in figures if first <= f.day <= last]
    return Sum(
        first=first,
        last=last,
        orders=sum(f.orders for f in inside),
        units=sum(f.units for f in inside),
        gross=sum(f.gross for f in inside),
        discounts=sum(f.discounts for f in inside),
        tax=sum(f.tax for f in inside),
        shipping=sum(f.shipping for f in inside),
        refunds=sum(f.refunds for f in inside),
        voided=sum(f.voided for f in inside),
        new_customers=sum(f.new_customers for f in inside),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    current: Sum
    previous: Sum

    @property
    def change_percent(self) -> float | None:
        """Net sales against the previous equal stretch, in percent to one decimal; None when that was 0."""
        if self.previous.net == 0:
            return None
        return round(100 * (self.current.net - self.previous.net) / abs(self.previous.net), 1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday, ISO 8601


def month_start(day: date) -> date:
    return day.replace(day=1)


def _previous_month_same_length(today: date) -> tuple[date, date]:
    """The previous month's first days, as many as this month has had (fewer if that month was shorter)."""
    last_month_end = month_start(today) - timedelta(days=1)
    first = month_start(last_month_end)
    return first, min(first + timedelta(days=today.day - 1), last_month_end)


def periods(today: date) -> dict[str, tuple[tuple[date, date], tuple[date, date]]]:
    """today / week / month so far, each with the previous stretch of equal length it is compared with."""
    week = week_start(today)
    elapsed = (today - week).days
    return {
        "today": ((today, today), (today - timedelta(days=1), today - timedelta(days=1))),
        "week": ((week, today), (week - timedelta(days=7), week - timedelta(days=7) + timedelta(days=elapsed))),
        "month": ((month_start(today), today), _previous_month_same_length(today)),
    }


def earliest_needed(today: date, top_seller_days: int) -> date:
    """The first day the dashboard reads: the start of the previous month or of the top-sellers window."""
    return min(_previous_month_same_length(today)[0], today - timedelta(days=top_seller_days - 1))


def compare(figures: list[DayFigures], today: date) -> dict[str, Comparison]:
    return {
        name: Comparison(total(figures, *current), total(figures, *previous))
        for name, (current, previous) in periods(today).items()
    }


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def bucket_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.WEEK:
        return week_start(day)
    if granularity is Granularity.MONTH:
        return month_start(day)
    return day


def series(figures: list[DayFigures], first: date, last: date, granularity: Granularity) -> list[Sum]:
    """One Sum per day, week (Monday first) or month from first to last, empty stretches included; the first and
    last buckets are clipped to the range."""
    starts = sorted({bucket_start(d, granularity) for d in days(first, last)})
    found = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else last
        found.append(total(figures, max(start, first), end))
    return found


@dataclass(frozen=True, slots=True)
class ProductSales:
    product: str
    units: int
    revenue: int
    variants: dict[str, tuple[int, int]]  # variant: units, revenue


class ProductSort(StrEnum):
    UNITS = "units"
    REVENUE = "revenue"


def product_sales(figures: Iterable[DayFigures], first: date, last: date) -> dict[str, ProductSales]:
    units: dict[str, int] = {}
    revenue: dict[str, int] = {}
    variants: dict[str, dict[str, tuple[int, int]]] = {}
    for f in figures:
        if not first <= f.day <= last:
            continue
        for (product, variant), (u, r) in f.variants.items():
            units[product] = units.get(product, 0) + u
            revenue[product] = revenue.get(product, 0) + r
            seen = variants.setdefault(product, {}).get(variant, (0, 0))
            variants[product][variant] = (seen[0] + u, seen[1] + r)
    return {p: ProductSales(p, units[p], revenue[p], variants[p]) for p in units if units[p] or revenue[p]}


def ranked(sales: Mapping[str, ProductSales], by: ProductSort, limit: int | None = None) -> list[ProductSales]:
    """Best first; ties by the other figure, then by slug, so the order is stable."""

    def key(p: ProductSales) -> tuple[int, int, str]:
        first, second = (p.units, p.revenue) if by is ProductSort.UNITS else (p.revenue, p.units)
        return (-first, -second, p.product)

    found = sorted((p for p in sales.values() if p.units > 0 or p.revenue > 0), key=key)
    return found if limit is None else found[:limit]
