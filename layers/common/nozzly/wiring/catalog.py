"""Catalog: the storefront's reads, operators' catalog and taxonomy, imports, stock alerts and emails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nozzly.wiring import billing, factory

if TYPE_CHECKING:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.contracts.catalog_import import ProductStep, StoreStep
    from nozzly.catalog.services.brands import BrandAdmin
    from nozzly.catalog.services.catalog_admin import CatalogAdmin
    from nozzly.catalog.services.catalog_categories import CategoryAdmin
    from nozzly.catalog.services.stock_alerts import StockWatch
    from nozzly.catalog.services.stock_emails import BackInStockSignup, StockEmails
    from nozzly.media.adapters.images import ProductImages
    from nozzly.search.adapters.search_index import SearchIndex
    from nozzly.stores.adapters.stores import StoresRepository


@factory
def catalog_repository() -> CatalogRepository:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.settings import get_settings

    return CatalogRepository(get_settings().catalog_table)


@dataclass(frozen=True, slots=True)
class StorefrontReads:
    """What the public storefront reads: each route is one DynamoDB call on one of these."""

    stores: StoresRepository
    catalog: CatalogRepository
    images: ProductImages
    search: SearchIndex


@factory
def storefront_reads() -> StorefrontReads:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.media.adapters.images import ProductImages
    from nozzly.settings import SearchSettings, load
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.wiring.search import search_index

    s = load(SearchSettings)
    return StorefrontReads(
        StoresRepository(s.stores_table),
        CatalogRepository(s.catalog_table),
        ProductImages(s.images_bucket, s.image_url_ttl_seconds, s.images_url),
        search_index(),
    )


@factory
def catalog_admin() -> CatalogAdmin:
    from nozzly.catalog.adapters.brands import BrandsRepository
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.catalog.adapters.stock_ledger import StockLedger
    from nozzly.catalog.services.catalog_admin import CatalogAdmin
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(Settings)
    members, catalog = MembersRepository(s.stores_table), CatalogAdminRepository(s.catalog_table)
    brands, events = BrandsRepository(s.catalog_table), EventPublisher(s.event_bus_name)
    return CatalogAdmin(
        members,
        StoresRepository(s.stores_table),
        catalog,
        brands,
        StockLedger(s.catalog_table),
        events,
        billing.plan_guard(),
    )


@factory
def category_admin() -> CategoryAdmin:
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.catalog.services.catalog_categories import CategoryAdmin
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(Settings)
    return CategoryAdmin(
        MembersRepository(s.stores_table), CatalogAdminRepository(s.catalog_table), EventPublisher(s.event_bus_name)
    )


@factory
def brand_admin() -> BrandAdmin:
    from nozzly.catalog.adapters.brands import BrandLogos, BrandsRepository
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.catalog.services.brands import BrandAdmin
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(Settings)
    return BrandAdmin(
        MembersRepository(s.stores_table),
        BrandsRepository(s.catalog_table),
        CatalogAdminRepository(s.catalog_table),
        BrandLogos(s.images_bucket),
    )


@factory
def store_import() -> Callable[[StoreStep], dict[str, object]]:
    """The import's store step, bound to its repositories and the operator pool (to find the owner)."""
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.services.catalog_import import import_store
    from nozzly.settings import ImportSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ImportSettings)
    # Only admin lookups by username are made: the app client id is not needed.
    operators = UserDirectory(s.operator_user_pool_id, client_id="")
    stores, members = StoresRepository(s.stores_table), MembersRepository(s.stores_table)
    settings = StoreSettingsRepository(s.stores_table)
    catalog = CatalogRepository(s.catalog_table)
    return lambda step: import_store(step, stores, catalog, members, operators, settings=settings)


@factory
def product_import() -> Callable[[ProductStep], dict[str, str]]:
    """The import's product step, bound to the catalog and the images bucket."""
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.services.catalog_import import import_product
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.media.adapters.images import ProductImages
    from nozzly.settings import ImportSettings, load

    s = load(ImportSettings)
    catalog, images = CatalogRepository(s.catalog_table), ProductImages(s.images_bucket, cdn_url=s.images_url)
    events = EventPublisher(s.event_bus_name)  # product.created/updated for integrators' webhooks
    return lambda step: import_product(step, catalog, images, events)


@factory
def back_in_stock_signup() -> BackInStockSignup:
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.stock_subscriptions import StockSubscriptions
    from nozzly.catalog.services.stock_emails import BackInStockSignup
    from nozzly.settings import get_settings

    s = get_settings()
    return BackInStockSignup(
        CatalogRepository(s.catalog_table), StockSubscriptions(s.customers_table), Throttle(s.identity_table)
    )


@factory
def stock_watch() -> StockWatch:
    from nozzly.catalog.services.stock_alerts import StockWatch
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.attention import AttentionList

    s = get_settings()
    return StockWatch(EventPublisher(s.event_bus_name), AttentionList(s.stores_table))


@factory
def stock_emails() -> StockEmails:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.catalog.adapters.stock_subscriptions import StockSubscriptions
    from nozzly.catalog.services.stock_emails import StockEmails
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.marketing.adapters.optouts import MarketingOptOuts
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.messaging.adapters.sent_emails import SentEmails
    from nozzly.settings import StockEmailSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(StockEmailSettings)
    return StockEmails(
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url),
        members=MembersRepository(s.stores_table),
        operators=UserDirectory(s.operator_user_pool_id),
        subscriptions=StockSubscriptions(s.customers_table),
        sent=SentEmails(s.orders_table),
        mailer=Mailer(s.email_from),
        flows=EmailFlowsRepository(s.stores_table),
        optouts=MarketingOptOuts(s.carts_table),
        api_url=s.api_url,
    )
