"""Billing: the plans, an account's billing overview, the plan guard every limited create shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.billing.adapters.stripe_billing import StripeBilling
    from nozzly.billing.domain.subscriptions import BillingEvent
    from nozzly.billing.services.billing import BillingDesk
    from nozzly.billing.services.gate import AccountGate
    from nozzly.billing.services.notices import BillingNotices
    from nozzly.billing.services.plan_guard import PlanGuard
    from nozzly.billing.services.restrictions import Restrictions
    from nozzly.billing.services.subscriptions import BillingEvents, BillingWebhookReceiver, Subscribing


@factory
def plan_guard() -> PlanGuard:
    from nozzly.billing.adapters.account_months import AccountMonthsRepository
    from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
    from nozzly.billing.adapters.store_usage import StoreUsageRepository
    from nozzly.billing.services.plan_guard import PlanGuard
    from nozzly.settings import get_settings

    table = get_settings().stores_table
    return PlanGuard(BillingAccountsRepository(table), StoreUsageRepository(table), AccountMonthsRepository(table))


@factory
def billing_desk() -> BillingDesk:
    from nozzly.billing.domain.plans import Limit
    from nozzly.billing.services.billing import BillingDesk
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.settings import BillingSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.webhooks.adapters.endpoints import EndpointsRepository

    s, guard = load(BillingSettings), plan_guard()
    endpoints = EndpointsRepository(s.webhooks_table)
    return BillingDesk(
        accounts=guard.accounts,
        usage=guard.usage,
        members=MembersRepository(s.stores_table),
        count={
            Limit.PRODUCTS_PER_STORE: CatalogAdminRepository(s.catalog_table).count_live_products,
            Limit.WEBHOOK_ENDPOINTS: lambda store_id: len(endpoints.of_store(store_id)),
        },
        monthly=guard.used_this_month,
    )


def _notices() -> BillingNotices:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.billing.services.notices import BillingNotices
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.settings import BillingNoticeSettings, load

    s = load(BillingNoticeSettings)
    return BillingNotices(
        operators=UserDirectory(s.operator_user_pool_id) if s.operator_user_pool_id else None,
        mailer=Mailer(s.email_from) if s.email_from else None,
        billing_url=f"{s.console_url.rstrip('/')}/#/billing" if s.console_url else "",
    )


def _stripe() -> StripeBilling:
    from functools import partial

    from nozzly.billing.adapters.stripe_billing import StripeBilling
    from nozzly.kernel.adapters.secrets import secret
    from nozzly.settings import BillingSettings, load

    s = load(BillingSettings)
    return StripeBilling(
        partial(secret, s.stripe_secret_key_parameter),
        s.stripe_api_base,
        webhook_secret=partial(secret, s.stripe_billing_webhook_secret_parameter),
    )


@factory
def subscribing() -> Subscribing:
    from nozzly.billing.adapters.stripe_customers import StripeCustomersRepository
    from nozzly.billing.services.subscriptions import Subscribing
    from nozzly.settings import BillingSettings, load
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(BillingSettings)
    return Subscribing(
        members=MembersRepository(s.stores_table),
        accounts=plan_guard().accounts,
        customers=StripeCustomersRepository(s.stores_table),
        stripe=_stripe(),
        return_url=f"{s.console_url.rstrip('/')}/#/billing" if s.console_url else "https://nozzly.invalid/billing",
    )


def handle_billing_event(event: BillingEvent) -> str:
    """Looked up on each call, so a test can hold or count the handling."""
    return billing_events().handle(event)


@factory
def billing_events() -> BillingEvents:
    from nozzly.billing.services.subscriptions import BillingEvents
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.domain.permissions import Role

    repository = MembersRepository(get_settings().stores_table)
    return BillingEvents(
        accounts=plan_guard().accounts,
        owned_stores=lambda sub: sum(
            1 for m in repository.of_operator(sub) if m.role is Role.OWNER and not m.store_deleted
        ),
        notices=_notices(),
    )


@factory
def billing_webhooks() -> BillingWebhookReceiver:
    from nozzly.billing.services.subscriptions import BillingWebhookReceiver
    from nozzly.payments.adapters.once import ExactlyOnce
    from nozzly.settings import BillingSettings, load

    s = load(BillingSettings)
    stripe = _stripe()
    return BillingWebhookReceiver(
        stripe=stripe,
        once=ExactlyOnce(s.idempotency_table, handle_billing_event, key_prefix="billing-event"),
        configured=stripe.has_webhook_secret,
    )


@factory
def restrictions() -> Restrictions:
    from nozzly.billing.services.restrictions import Restrictions

    return Restrictions(accounts=plan_guard().accounts, notices=_notices())


@factory
def account_gate() -> AccountGate:
    from nozzly.billing.services.gate import AccountGate
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.stores import StoresRepository

    return AccountGate(accounts=plan_guard().accounts, stores=StoresRepository(get_settings().stores_table))
