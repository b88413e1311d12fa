"""The operator dashboard: how the shop is doing and what needs its people, in a fixed number of reads.

DynamoDB calls, whatever the store's history (README "Dashboard" says the same, and a test counts them):
1. the caller's membership (orders.read; revenue, top sellers and the chart need reports.read too);
2. one BatchGetItem: the store's profile (currency), general settings (time zone) and the pipeline counters;
3. one Query: the daily counters from the start of the previous month (or 30 days back) to today;
4-5. one Query per open status (pending, processing): its oldest ATTENTION_SCAN orders;
6. one Query: reviews waiting for moderation (the first few);
7-8. the stock attention list (its counter item and first items), when wired;
9. one Query: recent activity, when wired;
10. one BatchGetItem: the top sellers' titles.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
from nozzly.analytics.domain.calendar import days, local_day, zone
from nozzly.analytics.domain.dashboard import (
    ATTENTION_SCAN,
    CHART_DAYS,
    SHOWN,
    TOP_SELLER_DAYS,
    UNSHIPPED_AFTER_HOURS,
    Activity,
    Attention,
    AttentionItem,
    Customers,
    DashboardView,
    overdue_orders,
)
from nozzly.analytics.domain.sales_figures import (
    DayFigures,
    ProductSort,
    compare,
    earliest_needed,
    month_start,
    product_sales,
    ranked,
    total,
    week_start,
)
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.kernel.adapters.batch import read_together
from nozzly.orders.adapters.order_listing import OrderListing
from nozzly.orders.domain.orders import OrderStatus
from nozzly.reviews.adapters.reviews import ReviewsRepository
from nozzly.reviews.domain.reviews import ReviewStatus
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain import general_settings
from nozzly.stores.domain.permissions import Action, allowed
from nozzly.stores.services.tenancy import require

StockAttention = Callable[[str, int], Attention]
RecentActivity = Callable[[str, int], list[Activity]]
RECENT = 20


@dataclass(frozen=True)
class Dashboard:
    members: MembersRepository
    aggregates: SalesAggregates
    stores: StoresRepository
    sections: SettingsSectionsRepository
    listing: OrderListing
    reviews: ReviewsRepository
    catalog: CatalogRepository
    stock_attention: StockAttention | None = None
    activity: RecentActivity | None = None
    clock: Callable[[], float] = time.time

    def read(self, store_id: str, sub: str) -> DashboardView:
        membership = require(self.members, store_id, sub, Action.ORDERS_READ)
        store, general, pipeline = read_together(
            [
                self.stores.profile_read(store_id),
                self.sections.read(store_id, general_settings.SECTION),
                self.aggregates.pipeline_read(store_id),
            ]
        )
        tz_name = str(general.data.get("timezone") or "UTC") if general else "UTC"
        now = self.clock()
        today = local_day(now, zone(tz_name))
        first = min(earliest_needed(today, TOP_SELLER_DAYS), today - timedelta(days=CHART_DAYS - 1))
        figures = [DayFigures.of(d.day, d.counters) for d in self.aggregates.days(store_id, first, today)]
        counters: dict[str, int] = pipeline or {}
        view = DashboardView(
            store_id=store_id,
            currency=store.currency if store else "EUR",
            timezone=tz_name,
            today=today,
            pipeline={s.value: max(counters.get(f"status.{s.value}", 0), 0) for s in OrderStatus},
            attention=tuple(self.attention(store_id, int(now))),
            customers=Customers(
                total=counters.get("customers", 0),
                new_this_week=total(figures, week_start(today), today).new_customers,
                new_this_month=total(figures, month_start(today), today).new_customers,
            ),
            recent_activity=tuple(self.activity(store_id, RECENT)) if self.activity else (),
        )
        if not allowed(membership.role, Action.REPORTS_READ):
            return view
        sold = product_sales(figures, today - timedelta(days=TOP_SELLER_DAYS - 1), today)
        by_units = ranked(sold, ProductSort.UNITS, SHOWN)
        by_revenue = ranked(sold, ProductSort.REVENUE, SHOWN)
        by_day = {f.day: f for f in figures}
        chart = tuple(by_day.get(d, DayFigures(d)) for d in days(today - timedelta(days=CHART_DAYS - 1), today))
        return dataclasses.replace(
            view,
            revenue=compare(figures, today),
            top_by_units=tuple(by_units),
            top_by_revenue=tuple(by_revenue),
            chart=chart,
            titles=self.catalog.titles(store_id, [p.product for p in (*by_units, *by_revenue)]),
        )

    def attention(self, store_id: str, now: int) -> list[Attention]:
        """What needs the store's people at `now` (also the daily summary's list). No membership check: callers
        check it (read) or are the store's own background jobs."""
        waiting = []
        scanned_full = False
        for status in (OrderStatus.PENDING, OrderStatus.PROCESSING):
            rows = self.listing.oldest(
                store_id, status, placed_before=now - UNSHIPPED_AFTER_HOURS * 3600, limit=ATTENTION_SCAN
            )
            scanned_full = scanned_full or len(rows) == ATTENTION_SCAN
            waiting.extend(rows)
        waiting.sort(key=lambda r: (r.created_at, r.number))
        found = overdue_orders(store_id, waiting, now, scanned_full=scanned_full)
        if self.stock_attention is not None:
            found.append(self.stock_attention(store_id, SHOWN))
        queue = self.reviews.queue(store_id, ReviewStatus.PENDING, cursor=None, limit=SHOWN)
        found.append(
            Attention(
                kind="reviews_pending",
                count=len(queue.reviews),
                more=queue.next_cursor is not None,
                items=tuple(
                    AttentionItem(ref=f"{r.product}/{r.key}", label=f"{r.rating}★ review of {r.product}", at=None)
                    for r in queue.reviews
                ),
                link=f"/admin/stores/{store_id}/reviews?status=pending",
            )
        )
        return found
