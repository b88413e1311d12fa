"""What the pages call: the same services the JSON API calls, each built on first use.

The page functions fill this from the composition root (nozzly.wiring.shopfront); pages never build a service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request

if TYPE_CHECKING:
    from nozzly.accounts.services.accounts import Accounts
    from nozzly.accounts.services.guest_sessions import GuestSessions
    from nozzly.blog.services.blog_reading import BlogReading
    from nozzly.catalog.adapters.brands import BrandsRepository
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.services.stock_emails import BackInStockSignup
    from nozzly.customers.services.shopper_account import ShopperAccount
    from nozzly.invoices.services.reading import InvoiceReading
    from nozzly.media.adapters.images import ProductImages
    from nozzly.orders.services.order_tracking import OrderTracking
    from nozzly.orders.services.shopper_orders import ShopperOrders
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.realtime.services.live_passes import LivePasses
    from nozzly.reviews.services.reviews import Reviews
    from nozzly.sales.services.cart_recovery import CartRecovery
    from nozzly.sales.services.cart_reminder_optouts import ReminderOptOuts
    from nozzly.sales.services.carts import CartService
    from nozzly.sales.services.checkout import CheckoutService
    from nozzly.search.adapters.search_index import SearchIndex
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository


@dataclass(frozen=True)
class Shop:
    """Factories (each cached by the composition root), so a page builds only what it uses."""

    stores: Callable[[], StoresRepository]
    store_settings: Callable[[], StoreSettingsRepository]
    catalog: Callable[[], CatalogRepository]
    images: Callable[[], ProductImages]
    search: Callable[[], SearchIndex]
    carts: Callable[[], CartService]
    checkout: Callable[[], CheckoutService]
    guest_sessions: Callable[[], GuestSessions]
    accounts: Callable[[str], Accounts]  # a store's shopper realm (404 for an unknown store)
    shopper_orders: Callable[[], ShopperOrders]
    shopper_account: Callable[[], ShopperAccount]
    reviews: Callable[[], Reviews]
    back_in_stock: Callable[[], BackInStockSignup]
    cart_recovery: Callable[[], CartRecovery]
    reminder_optouts: Callable[[], ReminderOptOuts]
    payout_accounts: Callable[[], PayoutAccountsRepository]  # whether a store can take Stripe card payments
    order_number_prefix: Callable[[], Callable[[str], str]]  # a store's prefix of order numbers ("LL-")
    payment_config: Callable[[], dict[str, Any]]  # the payment scripts' URLs and public keys (no secrets)
    brands: Callable[[], BrandsRepository]  # a listing's brand filter
    invoices: Callable[[], InvoiceReading]  # a shopper's invoice of a paid order
    blog: Callable[[], BlogReading]  # the blog's pages and the sitemap's posts
    order_tracking: Callable[[], OrderTracking]  # an order's status and tracking token, for following it live
    live_url: Callable[[], str]  # the WebSocket API's URL ("" when the function is not told: pages stay static)
    live_passes: Callable[[], LivePasses]  # a signed-in shopper's pass to their own live room


def shop_of(request: Request) -> Shop:
    """A FastAPI dependency: the bundle build_app put on the app."""
    shop: Shop = request.app.state.shop
    return shop
