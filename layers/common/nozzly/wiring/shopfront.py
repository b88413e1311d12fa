"""The shop pages' services: the very factories the JSON API's handlers use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.wiring import (
    accounts,
    blog,
    catalog,
    customers,
    factory,
    invoices,
    orders,
    realtime,
    reviews,
    sales,
    stores,
)

if TYPE_CHECKING:
    from nozzly.accounts.services.accounts import Accounts
    from nozzly.catalog.adapters.brands import BrandsRepository
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.media.adapters.images import ProductImages
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.search.adapters.search_index import SearchIndex
    from nozzly.shopfront.web.shop import Shop
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository


def _stores() -> StoresRepository:
    return catalog.storefront_reads().stores


def _catalog() -> CatalogRepository:
    return catalog.storefront_reads().catalog


def _images() -> ProductImages:
    return catalog.storefront_reads().images


def _search() -> SearchIndex:
    return catalog.storefront_reads().search


@factory
def _store_settings() -> StoreSettingsRepository:
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository

    s = get_settings()
    return StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url)


@factory
def _payout_accounts() -> PayoutAccountsRepository:
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.settings import get_settings

    return PayoutAccountsRepository(get_settings().stores_table)


@factory
def _brands() -> BrandsRepository:
    from nozzly.catalog.adapters.brands import BrandsRepository
    from nozzly.settings import get_settings

    return BrandsRepository(get_settings().catalog_table)


def _accounts(store_id: str) -> Accounts:
    from nozzly.accounts.services.identity import shopper_realm

    realm = shopper_realm(_stores(), store_id)  # 404 for an unknown or deleted store
    return accounts.account_backends().accounts(realm)


@factory
def _payment_config() -> dict[str, Any]:
    """What the payment step's scripts need: their URLs and public keys (stack parameters, never a secret)."""
    import os

    return {
        "stripe_js_url": os.environ.get("STRIPE_JS_URL", ""),
        "stripe_publishable_key": os.environ.get("STRIPE_PUBLISHABLE_KEY", ""),
        "square_js_url": os.environ.get("SQUARE_JS_URL", ""),
        "square_application_id": os.environ.get("SQUARE_APPLICATION_ID", ""),
        "square_location_id": os.environ.get("SQUARE_LOCATION_ID", ""),
    }


def _live_url() -> str:
    """The WebSocket API's stage URL (the template's LIVE_URL; the local cloud's own server locally)."""
    import os

    return os.environ.get("LIVE_URL", "")


def shop() -> Shop:
    from nozzly.shopfront.web.shop import Shop

    return Shop(
        stores=_stores,
        store_settings=_store_settings,
        catalog=_catalog,
        images=_images,
        search=_search,
        carts=sales.cart_service,
        checkout=sales.checkout_service,
        guest_sessions=accounts.guest_sessions,
        accounts=_accounts,
        shopper_orders=orders.shopper_orders,
        shopper_account=customers.shopper_account,
        reviews=reviews.reviews,
        back_in_stock=catalog.back_in_stock_signup,
        cart_recovery=sales.cart_recovery,
        reminder_optouts=sales.reminder_optouts,
        payout_accounts=_payout_accounts,
        order_number_prefix=stores.order_number_prefix,
        payment_config=_payment_config,
        brands=_brands,
        invoices=invoices.reading,
        blog=blog.blog_reading,
        order_tracking=orders.order_tracking,
        live_url=_live_url,
        live_passes=realtime.live_passes,
    )
