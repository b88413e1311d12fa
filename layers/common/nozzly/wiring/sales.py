"""Sales: carts and their reminders, checkout and its saga, manual orders, the providers' webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.sales.adapters.carts import CartsRepository
    from nozzly.sales.services.cart_recovery import CartRecovery
    from nozzly.sales.services.cart_reminder_optouts import ReminderOptOuts
    from nozzly.sales.services.cart_reminders import CartReminderSender
    from nozzly.sales.services.carts import CartService
    from nozzly.sales.services.checkout import CheckoutService
    from nozzly.sales.services.checkout_recovery import CheckoutRecovery
    from nozzly.sales.services.checkout_saga import CheckoutSaga
    from nozzly.sales.services.manual_orders import ManualOrders
    from nozzly.sales.services.payment_webhooks import WebhookReceiver


@factory
def carts_repository() -> CartsRepository:
    from nozzly.sales.adapters.carts import CartsRepository
    from nozzly.settings import get_settings

    return CartsRepository(get_settings().carts_table)


@factory
def cart_service() -> CartService:
    from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.adapters.carts import CartsRepository
    from nozzly.sales.services.cart_announcements import CartAnnouncer
    from nozzly.sales.services.carts import CartService
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    return CartService(
        carts=CartsRepository(s.carts_table),
        catalog=CatalogRepository(s.catalog_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table),
        coupons=CouponsRepository(s.stores_table),
        sessions=GuestSessionStore(s.identity_table),
        reminders=CartRemindersRepository(s.carts_table),
        announce=CartAnnouncer(EventPublisher(s.event_bus_name)).changed,  # the shopper's other devices
    )


@factory
def cart_recovery() -> CartRecovery:
    from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.accounts.services.guest_sessions import GuestSessions
    from nozzly.sales.adapters.cart_recovery_links import CartRecoveryLinks
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.services.cart_recovery import CartRecovery
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.stores import StoresRepository

    s = get_settings()
    sessions = GuestSessions(
        GuestSessionStore(s.identity_table), StoresRepository(s.stores_table), Throttle(s.identity_table)
    )
    return CartRecovery(
        CartRecoveryLinks(s.carts_table), cart_service(), CartRemindersRepository(s.carts_table), sessions
    )


@factory
def reminder_optouts() -> ReminderOptOuts:
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.services.cart_reminder_optouts import ReminderOptOuts
    from nozzly.settings import get_settings

    return ReminderOptOuts(CartRemindersRepository(get_settings().carts_table))


@factory
def cart_reminder_sender() -> CartReminderSender:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.sales.adapters.cart_recovery_links import CartRecoveryLinks
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.services.cart_reminders import CartReminderSender
    from nozzly.settings import CartReminderSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(CartReminderSettings)
    return CartReminderSender(
        reminders=CartRemindersRepository(s.carts_table),
        checkouts=CheckoutsRepository(s.orders_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url),
        mailer=Mailer(s.email_from),
        api_url=s.api_url,
        recovery_links=CartRecoveryLinks(s.carts_table),
        flows=EmailFlowsRepository(s.stores_table),
    )


@factory
def checkout_service() -> CheckoutService:
    from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.adapters.carts import CartsRepository
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.adapters.workflows import CheckoutWorkflow
    from nozzly.sales.services.checkout import CheckoutService
    from nozzly.settings import CheckoutSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(CheckoutSettings)
    return CheckoutService(
        checkouts=CheckoutsRepository(s.orders_table),
        carts=CartsRepository(s.carts_table),
        catalog=CatalogRepository(s.catalog_table),
        stores=StoresRepository(s.stores_table),
        settings=StoreSettingsRepository(s.stores_table),
        coupons=CouponsRepository(s.stores_table),
        workflow=CheckoutWorkflow(s.checkout_state_machine_arn, s.reservation_timeout_seconds),
        sessions=GuestSessionStore(s.identity_table),
        reminders=CartRemindersRepository(s.carts_table),
        payouts=PayoutAccountsRepository(s.stores_table),
    )


@factory
def checkout_saga() -> CheckoutSaga:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.reservations import StockHoldsRepository
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.reviews.adapters.purchases import PurchasesRepository
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.adapters.carts import CartsRepository
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.adapters.workflows import TaskTokens
    from nozzly.sales.services.checkout_saga import CheckoutSaga
    from nozzly.settings import PaymentProviderSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.wiring.payments import payment_gateways, store_gateways

    s = load(PaymentProviderSettings)
    return CheckoutSaga(
        checkouts=CheckoutsRepository(s.orders_table),
        catalog=CatalogRepository(s.catalog_table),
        carts=CartsRepository(s.carts_table),
        coupons=CouponsRepository(s.stores_table),
        orders=OrdersRepository(s.orders_table),
        purchases=PurchasesRepository(s.orders_table),
        settings=StoreSettingsRepository(s.stores_table),
        gateways=payment_gateways(),
        tokens=TaskTokens(),
        stock=StockHoldsRepository(s.catalog_table),
        reminders=CartRemindersRepository(s.carts_table),
        payouts=PayoutAccountsRepository(s.stores_table),
        default_fee_basis_points=s.platform_fee_basis_points,
        store_gateways=store_gateways(),
    )


@factory
def checkout_recovery() -> CheckoutRecovery:
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.adapters.workflows import CheckoutWorkflow
    from nozzly.sales.services.checkout_recovery import CheckoutRecovery
    from nozzly.settings import CheckoutRecoverySettings, load

    s = load(CheckoutRecoverySettings)
    workflow = CheckoutWorkflow(s.checkout_state_machine_arn, s.reservation_timeout_seconds)
    return CheckoutRecovery(checkouts=CheckoutsRepository(s.orders_table), workflow=workflow, saga=checkout_saga())


@factory
def manual_orders() -> ManualOrders:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.reservations import StockHoldsRepository
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.reviews.adapters.purchases import PurchasesRepository
    from nozzly.sales.adapters.manual_orders import ManualOrderRequests
    from nozzly.sales.services.manual_orders import ManualOrders
    from nozzly.settings import ShopperAccountSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(ShopperAccountSettings)
    return ManualOrders(
        members=MembersRepository(s.stores_table),
        stores=StoresRepository(s.stores_table),
        catalog=CatalogRepository(s.catalog_table),
        settings=StoreSettingsRepository(s.stores_table),
        orders=OrdersRepository(s.orders_table),
        requests=ManualOrderRequests(s.orders_table),
        purchases=PurchasesRepository(s.orders_table),
        shoppers=UserDirectory(s.user_pool_id),
        stock=StockHoldsRepository(s.catalog_table),
    )


@factory
def webhook_receiver() -> WebhookReceiver:
    """The providers' signature checks (each reading its secret when a webhook arrives) and the table that has
    each event processed once."""
    from functools import partial

    from nozzly.kernel.adapters.secrets import secret
    from nozzly.payments.adapters.once import ExactlyOnce
    from nozzly.payments.adapters.square_gateway import SquareWebhooks
    from nozzly.payments.adapters.stripe_gateway import StripeWebhooks
    from nozzly.payments.domain.payments import Provider
    from nozzly.sales.services.payment_webhooks import WebhookReceiver, handle_event
    from nozzly.settings import PaymentWebhookSettings, load

    s = load(PaymentWebhookSettings)
    return WebhookReceiver(
        verifiers={
            Provider.STRIPE: StripeWebhooks(
                partial(secret, s.stripe_webhook_secret_parameter),
                connect_secret=partial(secret, s.stripe_connect_webhook_secret_parameter),
            ),
            Provider.SQUARE: SquareWebhooks(
                partial(secret, s.square_webhook_signature_key_parameter), s.square_notification_url
            ),
        },
        once=ExactlyOnce(s.idempotency_table, handle_event),
    )
