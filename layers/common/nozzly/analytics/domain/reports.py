"""Reports over a range of store-local days: what range a request means, and what a report holds. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from nozzly.analytics.domain.sales_figures import Granularity, ProductSales, ProductSort, Sum
from nozzly.analytics.domain.visits import ProductVisits, VisitFigures
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
    visits: VisitFigures  # the storefront's reports over the same days


@dataclass(frozen=True, slots=True)
class ProductReport:
    range: Range
    sort: ProductSort
    products: list[ProductSales]
    titles: dict[str, str]
    visits: dict[str, ProductVisits]  # per product over the range


def percent(part: int, whole: int) -> float | None:
    """part of whole in percent, one decimal; None when there is no whole to compare with."""
    return round(100 * part / whole, 1) if whole > 0 else None


def with_viewed(sold: list[ProductSales], visits: dict[str, ProductVisits]) -> list[ProductSales]:
    """The products sold, best first, then those only viewed (most viewed first): a product that is looked at
    and never bought is what an owner most needs to see next to the sellers."""
    seen = {p.product for p in sold}
    viewed = sorted((v for v in visits.values() if v.product not in seen), key=lambda v: (-v.views, v.product))
    return [*sold, *(ProductSales(v.product, 0, 0, {}) for v in viewed)]


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
