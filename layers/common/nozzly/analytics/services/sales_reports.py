"""Sales and product reports over a range of store-local days (reports.read), read from the daily counters.

A report costs the membership read, the time zone and currency (one BatchGetItem), one query per 1 MB of
days in the range (two years of days fit in a few) and the storefront visits of those days (two queries per
1 MB), never a read of orders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final

from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
from nozzly.analytics.adapters.visits import VisitsRepository
from nozzly.analytics.domain.calendar import local_day, zone
from nozzly.analytics.domain.reports import ProductReport, Range, SalesReport, resolve_range, with_viewed
from nozzly.analytics.domain.sales_figures import (
    DayFigures,
    Granularity,
    ProductSort,
    product_sales,
    ranked,
    series,
    total,
)
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.kernel.adapters.batch import read_together
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain import general_settings
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

TITLED: Final = 100  # products whose titles a report looks up (one BatchGetItem)


@dataclass(frozen=True)
class SalesReports:
    members: MembersRepository
    aggregates: SalesAggregates
    stores: StoresRepository
    sections: SettingsSectionsRepository
    catalog: CatalogRepository
    visits: VisitsRepository
    clock: Callable[[], float] = time.time

    def _context(
        self, store_id: str, sub: str, first: date | None, last: date | None, preset: str | None
    ) -> tuple[Range, list[DayFigures]]:
        require(self.members, store_id, sub, Action.REPORTS_READ)
        store, general = read_together(
            [self.stores.profile_read(store_id), self.sections.read(store_id, general_settings.SECTION)]
        )
        tz_name = str(general.data.get("timezone") or "UTC") if general else "UTC"
        today = local_day(self.clock(), zone(tz_name))
        start, end = resolve_range(today, first, last, preset)
        figures = [DayFigures.of(d.day, d.counters) for d in self.aggregates.days(store_id, start, end)]
        return Range(start, end, store.currency if store else "EUR", tz_name), figures

    def sales(
        self,
        store_id: str,
        sub: str,
        *,
        first: date | None,
        last: date | None,
        preset: str | None,
        granularity: Granularity,
    ) -> SalesReport:
        found, figures = self._context(store_id, sub, first, last, preset)
        return SalesReport(
            found,
            granularity,
            series(figures, found.first, found.last, granularity),
            total(figures, found.first, found.last),
            self.visits.between(store_id, found.first, found.last),
        )

    def products(
        self,
        store_id: str,
        sub: str,
        *,
        first: date | None,
        last: date | None,
        preset: str | None,
        sort: ProductSort,
    ) -> ProductReport:
        found, figures = self._context(store_id, sub, first, last, preset)
        visits = self.visits.between(store_id, found.first, found.last).products
        rows = with_viewed(ranked(product_sales(figures, found.first, found.last), sort), visits)
        titles = self.catalog.titles(store_id, [p.product for p in rows[:TITLED]])
        return ProductReport(found, sort, rows, titles, visits)
