"""Emails that follow orders and stock, end to end in the local cloud: an order's write reaches the orders
table's stream, OrderEvents puts the event on the bus, the bus's rule invokes OrderEmails, and the email is in
the outbox once. The same for stock: an operator's adjustment reaches the catalog stream, StockWatcher puts
LowStock on the bus and on the store's attention list, StockEmails emails the owner.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
import stripe

from localcloud.payments import config
from nozzly.kernel.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call, log_in
from tests.e2e.shop import FINAL, check_out, guest_cart, open_store, operator, outbox, put_product, settled

pytestmark = pytest.mark.e2e
STORE = "mail-forge"
NAME = "Mail Forge"
OWNER_EMAIL = "owner@mail-forge.test"


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    return open_store(local_cloud, STORE, NAME, OWNER_EMAIL)


def buyer() -> str:
    """A fresh address per test: the outbox is shared by the whole session."""
    return f"buyer-{uuid.uuid4().hex[:12]}@mail-forge.test"


def inbox(cloud: LocalCloud, to: str) -> list[str]:
    return [str(m["subject"]) for m in outbox(cloud, to)]


def arrived(cloud: LocalCloud, to: str, subject: str) -> list[str]:
    """The subjects of the emails to `to` that begin with `subject`, once there is one (or after 20 s, to assert
    on), with a moment's grace for a duplicate that would follow."""

    def matching() -> list[str]:
        return [s for s in inbox(cloud, to) if s.startswith(subject)]

    if cloud.eventually(matching, bool, 20):
        time.sleep(1.5)  # a second delivery of the same event would land by now: the stream polls every 0.2 s
    return matching()


def test_an_operator_marking_a_cash_order_paid_sends_the_payment_receipt_once(
    local_cloud: LocalCloud, owner: str
) -> None:
    to = buyer()
    slug = put_product(local_cloud, STORE, "receipt-lamp", 5)
    placed = check_out(
        local_cloud,
        STORE,
        {"session_id": guest_cart(local_cloud, STORE, slug), "payment_method": "cash_on_delivery", "email": to},
    )
    assert placed["status"] == "placed", placed
    order, number = placed["id"], placed["order_number"]

    marked = call(local_cloud, "POST", f"/admin/stores/{STORE}/orders/{order}/mark-paid", owner)
    again = call(local_cloud, "POST", f"/admin/stores/{STORE}/orders/{order}/mark-paid", owner)

    assert marked.status == 200, marked.body
    assert again.status == 409  # nothing changed, so nothing more is announced
    assert arrived(local_cloud, to, f"Payment received for {NAME} order #{number}") == [
        f"Payment received for {NAME} order #{number}"
    ]
    assert inbox(local_cloud, to).count(f"Your {NAME} order #{number}") == 1  # the confirmation, from the saga


def test_a_card_order_gets_its_receipt_and_an_operators_refund_the_refund_email(
    local_cloud: LocalCloud, owner: str
) -> None:
    to = buyer()
    slug = put_product(local_cloud, STORE, "refund-lamp", 5)
    waiting = check_out(
        local_cloud,
        STORE,
        {"session_id": guest_cart(local_cloud, STORE, slug), "payment_method": "stripe_payment_intent", "email": to},
        until=("awaiting_payment", *FINAL),
    )
    assert waiting["status"] == "awaiting_payment", waiting
    stripe_client = stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": config.stripe_url()})
    stripe_client.v1.payment_intents.confirm(
        waiting["payment"]["payment_id"], params={"payment_method": "pm_card_visa"}
    )
    placed = settled(local_cloud, STORE, waiting["id"])
    assert placed["status"] == "placed", placed

    refunds = f"/admin/stores/{STORE}/orders/{placed['id']}/refunds"
    refunded = operator(local_cloud, owner, "POST", refunds, {"reason": "arrived broken"}, key="mail-0001")

    assert refunded.status == 201, refunded.body
    subject = f"Refund for your {NAME} order #{placed['order_number']}"
    assert arrived(local_cloud, to, subject) == [subject]
    receipt = f"Payment received for {NAME} order #{placed['order_number']}"
    assert arrived(local_cloud, to, receipt) == [receipt]  # paid at checkout: announced as the order is placed


def test_a_shopper_cancelling_an_order_gets_the_cancellation_email(local_cloud: LocalCloud, owner: str) -> None:
    to = buyer()
    slug = put_product(local_cloud, STORE, "cancel-lamp", 5)
    shopper = log_in(local_cloud, f"/stores/{STORE}", to)
    added = call(local_cloud, "POST", f"/stores/{STORE}/me/cart/items", shopper, {"product": slug, "quantity": 1})
    assert added.status == 200, added.body
    placed = check_out(local_cloud, STORE, {"payment_method": "cash_on_delivery", "email": to}, token=shopper)
    assert placed["status"] == "placed", placed

    cancelled = call(local_cloud, "POST", f"/stores/{STORE}/me/orders/{placed['id']}/cancel", shopper)

    assert cancelled.status == 200, cancelled.body
    subject = f"Your {NAME} order #{placed['order_number']} was cancelled"
    assert arrived(local_cloud, to, subject) == [subject]
    assert not any(s.startswith("Refund for") for s in inbox(local_cloud, to))  # nothing was paid or refunded


def test_stock_adjusted_down_to_its_threshold_emails_the_owner_and_joins_the_attention_list(
    local_cloud: LocalCloud, owner: str
) -> None:
    slug = put_product(local_cloud, STORE, "scarce-lamp", 10)  # low-stock threshold: the default 3
    path = f"/admin/stores/{STORE}/products/{slug}/variants/default/stock-adjustments"

    adjusted = call(local_cloud, "POST", path, owner, {"delta": -7, "reason": "damaged", "note": "water leak"})

    assert adjusted.status == 201, adjusted.body
    assert len(arrived(local_cloud, OWNER_EMAIL, f"Low stock at {NAME}: Scarce Lamp")) == 1

    def attention() -> list[dict[str, Any]]:
        items = local_cloud.client("dynamodb").query(
            TableName=local_cloud.names["StoresTable"],
            KeyConditionExpression="pk = :s AND begins_with(sk, :a)",
            ExpressionAttributeValues={":s": {"S": STORE}, ":a": {"S": "ATTENTION#"}},
        )["Items"]
        return [from_item(i) for i in items if from_item(i).get("product") == slug]

    listed = local_cloud.eventually(attention, bool)
    assert [(a["kind"], a["sku"], a["available"], a["threshold"]) for a in listed] == [
        ("low_stock", "SCARCE-LAMP", 3, 3)
    ]
