"""Tasks of the checkout saga (statemachines/checkout.asl.json): one step per invocation, each safe to retry; and
the schedule's sweep that starts or compensates checkouts left stranded (sales/services/checkout_recovery.py)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from nozzly.observability import lambda_entry

if TYPE_CHECKING:
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
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


@cache
def steps() -> dict[str, WorkflowStep[Any]]:
    """Each step the state machine (or the schedule) names: its payload, its service call, its result."""
    # Built on the first invocation, like the services: the contracts load pydantic.
    from nozzly.kernel.contracts.workflow_steps import WorkflowStep
    from nozzly.sales.contracts import checkout_workflow as c

    return {
        "reserve": WorkflowStep(c.ReserveIn, lambda p: _saga().reserve(p.store_id, p.checkout_id), c.ReserveOut),
        "start_payment": WorkflowStep(
            c.StartPaymentIn,
            lambda p: _saga().start_payment(
                p.store_id, p.checkout_id, p.task_token, p.reserved.model_dump(mode="json")
            ),
            c.StartPaymentOut,
        ),
        "place_order": WorkflowStep(
            c.PlaceOrderIn, lambda p: _saga().place_order(p.store_id, p.checkout_id), c.PlaceOrderOut
        ),
        "clear_cart": WorkflowStep(
            c.ClearCartIn,
            lambda p: _saga().clear_cart(p.store_id, p.checkout_id, p.cart.model_dump(mode="json")),
            c.ClearCartOut,
        ),
        "abandon": WorkflowStep(
            c.AbandonIn,
            lambda p: _saga().abandon(
                p.store_id,
                p.checkout_id,
                None if p.error is None else p.error.model_dump(mode="json", exclude_unset=True),
            ),
            c.AbandonOut,
        ),
        "recover": WorkflowStep(c.RecoverIn, lambda p: _recovery().sweep(), c.RecoverOut),  # the schedule's input
    }


def _run(event: dict[str, Any]) -> dict[str, Any]:
    from nozzly.kernel.contracts.workflow_steps import run_step

    return run_step(steps(), event, "checkout")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # Errors propagate: the state machine's Retry/Catch decide what a failed step means.
    return _run(event)
