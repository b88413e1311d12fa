"""Billing: the plans, an account's billing overview, the plan guard every limited create shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.billing.services.billing import BillingDesk
    from nozzly.billing.services.plan_guard import PlanGuard


@factory
def plan_guard() -> PlanGuard:
    from nozzly.billing.adapters.billing_accounts import BillingAccountsRepository
    from nozzly.billing.adapters.store_usage import StoreUsageRepository
    from nozzly.billing.services.plan_guard import PlanGuard
    from nozzly.settings import get_settings

    table = get_settings().stores_table
    return PlanGuard(BillingAccountsRepository(table), StoreUsageRepository(table))


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
    )
