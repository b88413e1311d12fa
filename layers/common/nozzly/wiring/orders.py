"""Orders: operators' fulfilment, payments and list, shoppers' orders, the lifecycle's events and emails."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.orders.services.fulfilment_steps import FulfilmentSteps
    from nozzly.orders.services.order_cancellation import OrderCancellation
    from nozzly.orders.services.order_emails import OrderEmails
    from nozzly.orders.services.order_events import OrderEventRelay
    from nozzly.orders.services.order_fulfilment import OrderFulfilment
    from nozzly.orders.services.order_payments import OrderPayments
    from nozzly.orders.services.order_refunds import OrderRefunds
    from nozzly.orders.services.order_search import OrderSearch
    from nozzly.orders.services.order_tracking import OrderTracking
    from nozzly.orders.services.shopper_orders import ShopperOrders


@factory
def order_tracking() -> OrderTracking:
    from nozzly.kernel.adapters.secrets import secret
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.order_tracking import OrderTracking
    from nozzly.settings import get_settings

    s = get_settings()
    parameter = s.order_tracking_key_parameter
    return OrderTracking(lambda: secret(parameter), OrdersRepository(s.orders_table))


@factory
def order_refunds() -> OrderRefunds:
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.order_refunds import OrderRefunds
    from nozzly.settings import PaymentProviderSettings, load
    from nozzly.wiring.payments import payment_gateways, store_gateways

    orders = OrdersRepository(load(PaymentProviderSettings).orders_table)
    return OrderRefunds(orders, payment_gateways(), store_gateways=store_gateways())


@factory
def order_cancellation() -> OrderCancellation:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.reservations import StockHoldsRepository
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.order_cancellation import OrderCancellation
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.settings import PaymentProviderSettings, load

    s = load(PaymentProviderSettings)
    return OrderCancellation(
        orders=OrdersRepository(s.orders_table),
        catalog=CatalogRepository(s.catalog_table),
        refunds=order_refunds(),
        stock=StockHoldsRepository(s.catalog_table),
        coupons=CouponsRepository(s.stores_table),
    )


@factory
def order_fulfilment() -> OrderFulfilment:
    from nozzly.orders.adapters.fulfilment_workflow import FulfilmentWorkflow
    from nozzly.orders.services.order_fulfilment import OrderFulfilment
    from nozzly.settings import FulfilmentSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(FulfilmentSettings)
    return OrderFulfilment(
        members=MembersRepository(s.stores_table),
        refunds=order_refunds(),
        cancellation=order_cancellation(),
        workflow=FulfilmentWorkflow(s.fulfilment_state_machine_arn),
    )


@factory
def order_payments() -> OrderPayments:
    from nozzly.orders.services.order_payments import OrderPayments
    from nozzly.settings import PaymentProviderSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    return OrderPayments(MembersRepository(load(PaymentProviderSettings).stores_table), order_refunds())


@factory
def shopper_orders() -> ShopperOrders:
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.shopper_orders import ShopperOrders
    from nozzly.settings import PaymentProviderSettings, load
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(PaymentProviderSettings)
    return ShopperOrders(
        stores=StoresRepository(s.stores_table),
        orders=OrdersRepository(s.orders_table),
        cancellation=order_cancellation(),
    )


@factory
def order_search() -> OrderSearch:
    from nozzly.orders.adapters.order_listing import OrderListing
    from nozzly.orders.services.order_search import OrderSearch
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(Settings)
    return OrderSearch(MembersRepository(s.stores_table), OrderListing(s.orders_table))


@factory
def fulfilment_steps() -> FulfilmentSteps:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.reservations import StockHoldsRepository
    from nozzly.catalog.adapters.stock_ledger import StockLedger
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.fulfilment_steps import FulfilmentSteps
    from nozzly.settings import get_settings

    s = get_settings()
    return FulfilmentSteps(
        orders=OrdersRepository(s.orders_table),
        catalog=CatalogRepository(s.catalog_table),
        stock=StockHoldsRepository(s.catalog_table),
        ledger=StockLedger(s.catalog_table),
    )


@factory
def order_emails() -> OrderEmails:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.messaging.adapters.sent_emails import SentEmails
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.services.order_emails import OrderEmails
    from nozzly.settings import EmailSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(EmailSettings)
    return OrderEmails(
        orders=OrdersRepository(s.orders_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url),
        sent=SentEmails(s.orders_table),
        mailer=Mailer(s.email_from),
        flows=EmailFlowsRepository(s.stores_table),
    )


@factory
def order_event_relay() -> OrderEventRelay:
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.orders.services.order_events import OrderEventRelay
    from nozzly.settings import get_settings

    return OrderEventRelay(EventPublisher(get_settings().event_bus_name))
