"""Analytics: the sales aggregates' stream consumer, the dashboard, reports, storefront events, activity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
    from nozzly.analytics.services.activity import ActivityFeed
    from nozzly.analytics.services.daily_summary import DailySummarySender
    from nozzly.analytics.services.dashboard import Dashboard
    from nozzly.analytics.services.live_counters import LiveCounters
    from nozzly.analytics.services.sales_aggregation import SalesAggregation
    from nozzly.analytics.services.sales_repair import SalesRepair
    from nozzly.analytics.services.sales_reports import SalesReports
    from nozzly.analytics.services.storefront_events import StorefrontEvents


@factory
def sales_aggregates() -> SalesAggregates:
    from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
    from nozzly.settings import get_settings

    return SalesAggregates(get_settings().analytics_table)


@factory
def sales_aggregation() -> SalesAggregation:
    from nozzly.analytics.services.sales_aggregation import SalesAggregation
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository

    return SalesAggregation(sales_aggregates(), StoreSettingsRepository(get_settings().stores_table).timezone)


@factory
def live_counters() -> LiveCounters:
    from nozzly.analytics.services.live_counters import LiveCounters
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    timezone_of, events = StoreSettingsRepository(s.stores_table).timezone, EventPublisher(s.event_bus_name)
    return LiveCounters(sales_aggregates(), StoresRepository(s.stores_table), timezone_of, events)


@factory
def dashboard() -> Dashboard:
    from nozzly.analytics.services.dashboard import Dashboard
    from nozzly.analytics.services.stock_attention import low_stock_attention
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.orders.adapters.order_listing import OrderListing
    from nozzly.reviews.adapters.reviews import ReviewsRepository
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.attention import AttentionList
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    return Dashboard(
        members=MembersRepository(s.stores_table),
        aggregates=sales_aggregates(),
        stores=StoresRepository(s.stores_table),
        sections=SettingsSectionsRepository(s.stores_table),
        listing=OrderListing(s.orders_table),
        reviews=ReviewsRepository(s.customers_table),
        catalog=CatalogRepository(s.catalog_table),
        stock_attention=low_stock_attention(AttentionList(s.stores_table)),
        activity=activity_feed().recent,
    )


@factory
def sales_reports() -> SalesReports:
    from nozzly.analytics.adapters.visits import VisitsRepository
    from nozzly.analytics.services.sales_reports import SalesReports
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    return SalesReports(
        members=MembersRepository(s.stores_table),
        aggregates=sales_aggregates(),
        stores=StoresRepository(s.stores_table),
        sections=SettingsSectionsRepository(s.stores_table),
        catalog=CatalogRepository(s.catalog_table),
        visits=VisitsRepository(s.analytics_table),
    )


@factory
def sales_repair() -> SalesRepair:
    from nozzly.analytics.services.sales_repair import SalesRepair
    from nozzly.orders.adapters.order_listing import OrderListing
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.settings import get_settings

    s = get_settings()
    return SalesRepair(sales_aggregation(), OrderListing(s.orders_table), OrdersRepository(s.orders_table))


@factory
def daily_summary_sender() -> DailySummarySender:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.analytics.adapters.summary_claims import SummaryClaims
    from nozzly.analytics.services.daily_summary import DailySummarySender
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.settings import DailySummarySettings, load
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(DailySummarySettings)
    return DailySummarySender(
        stores=StoresRepository(s.stores_table),
        sections=SettingsSectionsRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url),
        members=MembersRepository(s.stores_table),
        operators=UserDirectory(s.operator_user_pool_id),
        aggregates=sales_aggregates(),
        catalog=CatalogRepository(s.catalog_table),
        attention=dashboard().attention,  # the dashboard's own list, with whatever it is wired with
        claims=SummaryClaims(s.analytics_table),
        mailer=Mailer(s.email_from),
    )


# ---- recent activity (StoreActivity writes, the dashboard reads)
@factory
def activity_feed() -> ActivityFeed:
    from nozzly.analytics.adapters.activity import ActivityLog
    from nozzly.analytics.services.activity import ActivityFeed
    from nozzly.settings import get_settings

    return ActivityFeed(ActivityLog(get_settings().analytics_table))


@factory
def storefront_events() -> StorefrontEvents:
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.analytics.adapters.visits import VisitsRepository
    from nozzly.analytics.services.storefront_events import StorefrontEvents
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    return StorefrontEvents(
        stores=StoresRepository(s.stores_table),
        timezone=StoreSettingsRepository(s.stores_table).timezone,
        visits=VisitsRepository(s.analytics_table),
        throttle=Throttle(s.identity_table),
        catalog=CatalogRepository(s.catalog_table),
    )
