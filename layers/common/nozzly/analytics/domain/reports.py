"""Reports over a range of store-local days: what range a request means, and what a report holds. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from nozzly.analytics.domain.sales_figures import Granularity, ProductSales, ProductSort, Sum
from nozzly.kernel.domain.errors import InvalidInput

MAX_DAYS: Final = 731  # two years, a leap day included
PRESETS: Final = {"7d": 7, "30d": 30, "90d": 90}


@dataclass(frozen=True, slots=True)
class Range:
    first: date
    last: date
    currency: str
    timezone: str


@dataclass(frozen=True, slots=True)
class SalesReport:
    range: Range
    granularity: Granularity
    series: list[Sum]
    totals: Sum


@dataclass(frozen=True, slots=True)
class ProductReport:
    range: Range
    sort: ProductSort
    products: list[ProductSales]
    titles: dict[str, str]


def resolve_range(today: date, first: date | None, last: date | None, preset: str | None) -> tuple[date, date]:
    """The days asked for: a preset ending today, from/to (to defaults to today), or the last 30 days."""
    if preset is not None:
        if first is not None or last is not None:
            raise InvalidInput("give either a range preset or from/to, not both", field="range")
        return today - timedelta(days=PRESETS[preset] - 1), today
    last = last or today
    first = first or last - timedelta(days=29)
    if first > last:
        raise InvalidInput("the range ends before it starts", field="from")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"a report covers at most {MAX_DAYS} days", field="from")
    return first, last
