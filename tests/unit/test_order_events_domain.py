"""Which events one write of an order puts on the bus: each timeline kind, nothing for an unchanged timeline,
OrderPlaced only for orders that did not come through the checkout saga."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from nozzly.customers.domain.customers import Address
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.order_events import OrderEvent, added_entries, order_events
from nozzly.orders.domain.order_rules import CANCELLATION_REFUND_KEY, cancel, claim_refund, mark_paid, settle_refund
from nozzly.orders.domain.order_status import move
from nozzly.orders.domain.orders import (
    Channel,
    Order,
    OrderStatus,
    PaymentState,
    RefundState,
    TimelineEntry,
    TimelineKind,
)
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.checkout import CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.sales.domain.pricing import Totals

pytestmark = pytest.mark.unit
NOW = 1_790_000_000.0
IDS = {"store_id": "forge", "order_id": "a" * 32, "order_number": 1001}


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def placed(channel: Channel = Channel.WEB, **changes: Any) -> Order:
    """A card-paid order of 100.00 EUR as it is stored when placed: one PLACED entry."""
    entry = TimelineEntry(
        int(NOW) - 60, "guest", TimelineKind.PLACED, "Order #1001 placed", None, None, OrderStatus.PENDING
    )
    values: dict[str, Any] = {
        "store_id": "forge",
        "order_id": "a" * 32,
        "number": 1001,
        "status": OrderStatus.PENDING,
        "payment_state": PaymentState.PAID,
        "channel": channel,
        "email": "sam@example.com",
        "customer": None,
        "lines": (CheckoutLine("std", "lamp", "L-1", "Lamp", "Standard", 2, eur(4000)),),
        "shipping_address": Address("a1", "Sam", "Hauptstrasse 1", "Berlin", "10115", "DE"),
        "shipping": ShippingChoice("standard", "Standard", eur(0)),
        "payment_method": PaymentMethod.STRIPE_PAYMENT_INTENT,
        "payment": PaymentInfo(Provider.STRIPE, "pi_1"),
        "coupon": None,
        "totals": Totals(eur(8000), eur(0), eur(0), eur(2000), 2500, eur(10000)),
        "created_at": int(NOW) - 60,
        "timeline": (entry,),
    }
    return Order(**(values | changes))


def cash(**changes: Any) -> Order:
    return placed(
        payment_state=PaymentState.AWAITING, payment_method=PaymentMethod.CASH_ON_DELIVERY, payment=None, **changes
    )


def kinds(events: list[OrderEvent]) -> list[str]:
    return [e.detail_type for e in events]


def refund(order: Order, key: str, amount: int | None) -> Order:
    return claim_refund(
        order,
        key=key,
        requested=None if amount is None else eur(amount),
        reason="damaged",
        by="operator:op",
        now=NOW,
        provider_idempotency_key=f"rf-{key}",
    )


@pytest.mark.parametrize("channel", [Channel.MANUAL, Channel.POS])
def test_an_order_an_operator_created_is_announced_placed(channel: Channel) -> None:
    assert order_events(None, cash(channel=channel)) == [OrderEvent("OrderPlaced", IDS | {"channel": channel.value})]


def test_a_web_order_is_not_announced_twice_the_checkout_saga_announces_it() -> None:
    assert order_events(None, cash(channel=Channel.WEB)) == []


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.MANUAL])
def test_an_order_paid_as_it_was_placed_has_its_payment_received(channel: Channel) -> None:
    events = order_events(None, placed(channel))

    receipt = IDS | {"amount": 10000, "currency": "EUR", "by": "system"}
    assert events[-1] == OrderEvent("PaymentReceived", receipt)
    assert kinds(events) == (["OrderPlaced"] if channel is Channel.MANUAL else []) + ["PaymentReceived"]


def test_a_write_that_adds_nothing_to_the_timeline_publishes_nothing() -> None:
    order = placed(Channel.MANUAL)
    changed_elsewhere = dataclasses.replace(order, email="new@example.com", version=order.version + 1)

    assert order_events(order, changed_elsewhere) == []
    assert order_events(order, order) == []  # a redelivered or idempotent rewrite
    assert order_events(order, None) == []  # a deleted order


def test_every_status_move_is_published_for_integrators() -> None:
    processing = move(placed(), OrderStatus.PROCESSING, by="operator:op", now=NOW)
    shipped = move(processing, OrderStatus.SHIPPED, by="operator:op", now=NOW + 1)

    assert order_events(processing, shipped) == [
        OrderEvent(
            "OrderStatusChanged", IDS | {"from": "processing", "to": "shipped", "by": "operator:op", "at": int(NOW) + 1}
        )
    ]


def test_delivered_is_announced_next_to_its_status_change() -> None:
    shipped = move(
        move(placed(), OrderStatus.PROCESSING, by="system", now=NOW), OrderStatus.SHIPPED, by="system", now=NOW
    )

    delivered = move(shipped, OrderStatus.DELIVERED, by="operator:op", now=NOW)

    assert kinds(order_events(shipped, delivered)) == ["OrderStatusChanged", "OrderDelivered"]
    assert order_events(shipped, delivered)[1].detail == IDS


def test_a_cancellation_carries_its_reason() -> None:
    order = cash()

    cancelled = cancel(order, by="operator:op", now=NOW, reason="customer called: wrong size")

    events = order_events(order, cancelled)
    assert kinds(events) == ["OrderStatusChanged", "OrderCancelled"]
    assert events[0].detail["to"] == "cancelled" and events[0].detail["from"] == "pending"
    assert events[1].detail == IDS | {"reason": "customer called: wrong size"}


def test_a_status_move_without_a_note_cancels_without_a_reason() -> None:
    order = cash()

    cancelled = move(order, OrderStatus.CANCELLED, by="system", now=NOW)

    assert order_events(order, cancelled)[1] == OrderEvent("OrderCancelled", IDS)


def test_cancelling_a_paid_order_announces_the_refund_only_once_the_provider_answered() -> None:
    order = placed()
    cancelled = cancel(order, by="shopper:sam", now=NOW)  # the refund is claimed (requested) in the same write
    settled = settle_refund(cancelled, CANCELLATION_REFUND_KEY, RefundState.SUCCEEDED, "re_9", now=NOW)

    assert kinds(order_events(order, cancelled)) == ["OrderStatusChanged", "OrderCancelled"]
    assert order_events(cancelled, settled) == [
        OrderEvent("OrderRefunded", IDS | {"refund_id": "re_9", "amount": 10000, "currency": "EUR"})
    ]


@pytest.mark.parametrize("state", [RefundState.PENDING, RefundState.SUCCEEDED])
def test_a_refund_the_provider_accepted_is_announced_with_its_id(state: RefundState) -> None:
    claimed = refund(placed(), "k1", 2500)

    settled = settle_refund(claimed, "k1", state, "re_1", now=NOW)

    assert order_events(claimed, settled) == [
        OrderEvent("OrderRefunded", IDS | {"refund_id": "re_1", "amount": 2500, "currency": "EUR"})
    ]


def test_a_refused_refund_is_no_news_and_a_claim_alone_is_not_either() -> None:
    order = placed()
    claimed = refund(order, "k1", 2500)

    refused = settle_refund(claimed, "k1", RefundState.FAILED, None, now=NOW)

    assert order_events(order, claimed) == []
    assert order_events(claimed, refused) == []


def test_a_cash_refund_is_named_by_its_key_since_no_provider_made_it() -> None:
    paid = mark_paid(cash(), by="operator:op", now=NOW)
    claimed = refund(paid, "till-0001", None)

    settled = settle_refund(claimed, "till-0001", RefundState.SUCCEEDED, None, now=NOW)

    assert order_events(claimed, settled)[0].detail["refund_id"] == "till-0001"


def test_marking_a_cash_order_paid_is_a_payment_received() -> None:
    order = cash()

    paid = mark_paid(order, by="operator:op", now=NOW)

    assert order_events(order, paid) == [
        OrderEvent("PaymentReceived", IDS | {"amount": 10000, "currency": "EUR", "by": "operator:op"})
    ]


def test_entries_not_tied_to_an_event_publish_nothing() -> None:
    order = placed()
    noted = order.logged(TimelineEntry(int(NOW), "operator:op", TimelineKind.TRACKING_UPDATED, "Tracking DHL 123"))

    assert order_events(order, noted) == []


def test_several_changes_seen_at_once_publish_in_timeline_order() -> None:
    """A record whose old image is several writes behind (or none at all: an order first seen paid)."""
    order = cash()
    later = move(mark_paid(order, by="operator:op", now=NOW), OrderStatus.PROCESSING, by="operator:op", now=NOW)

    assert kinds(order_events(order, later)) == ["PaymentReceived", "OrderStatusChanged"]


def test_an_entry_repeated_word_for_word_is_still_news_the_second_time() -> None:
    entry = TimelineEntry(int(NOW), "operator:op", TimelineKind.TRACKING_UPDATED, "Tracking DHL 123")
    once = placed().logged(entry)

    assert added_entries(once, once.logged(entry)) == [entry]
