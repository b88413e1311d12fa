"""Order rules: which orders a shopper may cancel, refund arithmetic under partial refunds, cash marked paid."""

from __future__ import annotations

import dataclasses

import pytest

from nozzly.customers.domain.customers import Address
from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.order_rules import (
    CANCELLATION_REFUND_KEY,
    cancel,
    claim_refund,
    mark_paid,
    provider_key,
    refund_amount,
    same_request,
    settle_refund,
)
from nozzly.orders.domain.order_status import IllegalTransition
from nozzly.orders.domain.orders import Channel, Order, OrderStatus, PaymentState, RefundState
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.checkout import CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.sales.domain.pricing import Totals

pytestmark = pytest.mark.unit
NOW = 1_790_000_000.0


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def order(**changes: object) -> Order:
    """A card-paid order of 100.00 EUR (two lines)."""
    values: dict[str, object] = {
        "store_id": "forge",
        "order_id": "a" * 32,
        "number": 1001,
        "status": OrderStatus.PENDING,
        "payment_state": PaymentState.PAID,
        "channel": Channel.WEB,
        "email": "sam@example.com",
        "customer": "sub-sam",
        "lines": (CheckoutLine("std", "lamp", "L-1", "Lamp", "Standard", 2, eur(4000)),),
        "shipping_address": Address("a1", "Sam", "Hauptstrasse 1", "Berlin", "10115", "DE"),
        "shipping": ShippingChoice("standard", "Standard", eur(0)),
        "payment_method": PaymentMethod.STRIPE_PAYMENT_INTENT,
        "payment": PaymentInfo(Provider.STRIPE, "pi_1"),
        "coupon": None,
        "totals": Totals(eur(8000), eur(0), eur(0), eur(2000), 2500, eur(10000)),
        "created_at": int(NOW) - 60,
    }
    return Order(**(values | changes))  # type: ignore[arg-type]


def refunded(o: Order, amount: int | None, key: str = "k1", reason: str = "damaged") -> Order:
    requested = None if amount is None else eur(amount)
    return claim_refund(
        o, key=key, requested=requested, reason=reason, by="operator:x", now=NOW, provider_idempotency_key=key
    )


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (OrderStatus.PENDING, True),
        (OrderStatus.PROCESSING, True),
        (OrderStatus.SHIPPED, False),
        (OrderStatus.DELIVERED, False),
        (OrderStatus.CANCELLED, False),
        (OrderStatus.REFUNDED, False),
    ],
)
def test_only_orders_not_yet_shipped_can_be_cancelled(status: OrderStatus, allowed: bool) -> None:
    if allowed:
        assert cancel(order(status=status), by="shopper:s", now=NOW).status is OrderStatus.CANCELLED
    else:
        with pytest.raises(IllegalTransition) as refused:
            cancel(order(status=status), by="shopper:s", now=NOW)
        assert refused.value.field == "status"
        assert "cancelled" not in refused.value.allowed


def test_cancelling_a_paid_order_claims_a_refund_of_everything_not_yet_refunded() -> None:
    partly = settle_refund(refunded(order(), 3000), "k1", RefundState.SUCCEEDED, "re_1", now=NOW)

    cancelled = cancel(partly, by="shopper:s", now=NOW)

    claim = cancelled.refund(CANCELLATION_REFUND_KEY)
    assert claim is not None and claim.amount == eur(7000) and claim.state is RefundState.REQUESTED
    assert claim.provider_key == f"cx-{'a' * 32}"
    assert cancelled.payment_state is PaymentState.REFUNDED and cancelled.refundable == eur(0)
    assert cancelled.version == partly.version + 1


def test_cancelling_a_cash_order_not_yet_paid_refunds_nothing() -> None:
    cash = order(payment_state=PaymentState.AWAITING, payment_method=PaymentMethod.CASH_ON_DELIVERY, payment=None)

    cancelled = cancel(cash, by="shopper:s", now=NOW)

    assert cancelled.refunds == () and cancelled.payment_state is PaymentState.AWAITING
    assert cancelled.cancelled_at == int(NOW)


def test_partial_refunds_add_up_and_the_last_one_refunds_the_rest() -> None:
    first = refunded(order(), 2500, "k1")
    assert (first.payment_state, first.refunded, first.refundable) == (
        PaymentState.PARTIALLY_REFUNDED,
        eur(2500),
        eur(7500),
    )

    rest = refunded(first, None, "k2")

    assert rest.refund("k2").amount == eur(7500)  # type: ignore[union-attr]
    assert rest.payment_state is PaymentState.REFUNDED and rest.refunded == eur(10000)


def test_more_than_what_is_left_is_a_conflict_naming_the_amount() -> None:
    first = refunded(order(), 6000)

    with pytest.raises(Conflict) as refused:
        refund_amount(first, eur(4001))

    assert refused.value.field == "amount" and "40.00 EUR" in refused.value.message
    assert refund_amount(first, eur(4000)) == eur(4000)


def test_nothing_can_be_refunded_twice_over() -> None:
    everything = refunded(order(), None)
    with pytest.raises(Conflict):
        refunded(everything, None, "k2")
    with pytest.raises(Conflict):
        refunded(everything, 1, "k3")


def test_a_failed_refund_frees_its_amount_again() -> None:
    claimed = refunded(order(), 10000)

    failed = settle_refund(claimed, "k1", RefundState.FAILED, None, now=NOW)

    assert failed.refunded == eur(0) and failed.payment_state is PaymentState.PAID
    assert refund_amount(failed, None) == eur(10000)


@pytest.mark.parametrize(("amount", "field"), [(eur(0), "amount"), (Money(100, "USD"), "amount.currency")])
def test_a_refund_of_nothing_or_in_another_currency_is_bad_input(amount: Money, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        refund_amount(order(), amount)
    assert refused.value.field == field


def test_an_unpaid_cash_order_has_nothing_to_refund() -> None:
    cash = order(payment_state=PaymentState.AWAITING, payment_method=PaymentMethod.CASH_ON_DELIVERY, payment=None)
    with pytest.raises(Conflict) as refused:
        refund_amount(cash, None)
    assert refused.value.field == "order"


def test_a_key_names_one_refund_and_its_retry_must_ask_the_same() -> None:
    first = refunded(order(), 1000, "k1", "damaged")
    claim = first.refund("k1")
    assert claim is not None

    assert same_request(claim, eur(1000), "damaged")
    assert not same_request(claim, eur(2000), "damaged")
    assert not same_request(claim, None, "damaged")
    with pytest.raises(Conflict) as refused:
        refunded(first, 1000, "k1")
    assert refused.value.field == "Idempotency-Key"


def test_provider_keys_fit_square_and_differ_per_order_and_key() -> None:
    keys = {provider_key("forge", o, k) for o in ("a" * 32, "b" * 32) for k in ("key-0001", "key-0002")}
    assert len(keys) == 4 and all(len(k) <= 45 for k in keys)
    assert provider_key("forge", "a" * 32, "key-0001") == provider_key("forge", "a" * 32, "key-0001")


def test_a_cash_order_is_marked_paid_once() -> None:
    cash = order(payment_state=PaymentState.AWAITING, payment_method=PaymentMethod.CASH_ON_DELIVERY, payment=None)

    paid = mark_paid(cash, by="operator:x", now=NOW)

    assert (paid.payment_state, paid.paid_at, paid.marked_paid_by) == (PaymentState.PAID, int(NOW), "operator:x")
    assert paid.paid == eur(10000) and paid.version == cash.version + 1
    with pytest.raises(Conflict):
        mark_paid(paid, by="operator:x", now=NOW)


@pytest.mark.parametrize(
    "changes",
    [
        {},  # paid by card: nothing to collect
        {"payment_method": PaymentMethod.CASH_ON_DELIVERY, "payment": None, "status": OrderStatus.CANCELLED},
    ],
)
def test_card_orders_and_cancelled_cash_orders_cannot_be_marked_paid(changes: dict[str, object]) -> None:
    unpaid = dataclasses.replace(order(**changes), payment_state=PaymentState.AWAITING)
    with pytest.raises(Conflict):
        mark_paid(unpaid, by="operator:x", now=NOW)
