"""Tasks of the checkout saga (statemachines/checkout.asl.json): one step per invocation, each safe to retry; and
the schedule's sweep that starts or compensates checkouts left stranded (sales/services/checkout_recovery.py)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
    from nozzly.sales.services.checkout_recovery import CheckoutRecovery
    from nozzly.sales.services.checkout_saga import CheckoutSaga


@cache
def _saga() -> CheckoutSaga:
    # Imported on the first invocation: boto3, pydantic-settings and the payment SDKs are not cold-start costs.
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.reservations import StockHoldsRepository
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.payments.adapters.providers import payment_gateways
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.reviews.adapters.purchases import PurchasesRepository
    from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
    from nozzly.sales.adapters.carts import CartsRepository
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.adapters.workflows import TaskTokens
    from nozzly.sales.services.checkout_saga import CheckoutSaga
    from nozzly.settings import PaymentProviderSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository

    s = load(PaymentProviderSettings)
    return CheckoutSaga(
        checkouts=CheckoutsRepository(s.orders_table),
        catalog=CatalogRepository(s.catalog_table),
        carts=CartsRepository(s.carts_table),
        coupons=CouponsRepository(s.stores_table),
        orders=OrdersRepository(s.orders_table),
        purchases=PurchasesRepository(s.orders_table),
        settings=StoreSettingsRepository(s.stores_table),
        gateways=payment_gateways(s),
        tokens=TaskTokens(),
        stock=StockHoldsRepository(s.catalog_table),
        reminders=CartRemindersRepository(s.carts_table),
    )


@cache
def _recovery() -> CheckoutRecovery:
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.adapters.workflows import CheckoutWorkflow
    from nozzly.sales.services.checkout_recovery import CheckoutRecovery
    from nozzly.settings import CheckoutRecoverySettings, load

    s = load(CheckoutRecoverySettings)
    workflow = CheckoutWorkflow(s.checkout_state_machine_arn, s.reservation_timeout_seconds)
    return CheckoutRecovery(checkouts=CheckoutsRepository(s.orders_table), workflow=workflow, saga=_saga())


def _run(event: dict[str, Any]) -> dict[str, Any]:
    if event.get("step") == "recover":  # the schedule's constant input
        return _recovery().sweep()
    step, store_id, checkout_id = event.get("step"), str(event["store_id"]), str(event["checkout_id"])
    saga = _saga()
    if step == "reserve":
        return saga.reserve(store_id, checkout_id)
    if step == "start_payment":
        return saga.start_payment(store_id, checkout_id, str(event["task_token"]), event["reserved"])
    if step == "place_order":
        return saga.place_order(store_id, checkout_id)
    if step == "clear_cart":
        return saga.clear_cart(store_id, checkout_id, event["cart"])
    if step == "abandon":
        return saga.abandon(store_id, checkout_id, event.get("error"))
    raise ValueError(f"unknown checkout step {step!r}")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
