"""Operators and an order's money through the OrderPayments function: refunds (full, partial, raced, retried),
cash on delivery marked paid, and who may do which."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.order_helpers import (
    RecordingGateway,
    paid_by_card,
    place_order,
    reserved,
    shopper_call,
    stored_order,
    use_gateway,
)
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims
from tests.functional.test_carts import guest_cart, shopper_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER, ADMIN, STAFF, STRANGER = ALICE, BOB, CAROL, "0f1e2d3c-dddd-4000-8000-000000000004"
TOTAL = 15934  # one Ember Longsword: 129.00 + standard shipping 4.90, 19 % VAT


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    for sub, role in ((OWNER, "owner"), (ADMIN, "admin"), (STAFF, "staff")):
        item = {"pk": STORE, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "MF"}
        cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})
    return cloud


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    return use_gateway(monkeypatch, RecordingGateway())


@pytest.fixture
def paid(shop: Cloud) -> str:
    """A card-paid guest order of TOTAL."""
    order = place_order(guest_cart(shop))
    paid_by_card(shop, order, payment_id="pi_paid")
    assert stored_order(shop, order)["totals"]["total"] == TOTAL
    return order


def call(
    cloud: Cloud, route: str, order: str, *, sub: str | None = OWNER, body: Any = None, key: str | None = None
) -> HttpResponse:
    """`route` relative to the order, e.g. "GET" or "POST /refunds"."""
    method, _, suffix = route.partition(" ")
    event = api_event(
        f"{method} /admin/stores/{{store}}/orders/{{order}}{suffix}",
        path_parameters={"store": STORE, "order": order},
        body=body,
        headers={"idempotency-key": key} if key else None,
        claims=claims(sub) if sub else None,
    )
    return cloud.http("OrderPayments", event)


def refund(
    cloud: Cloud, order: str, amount: int | None, key: str, *, sub: str = OWNER, reason: str = "damaged"
) -> HttpResponse:
    body: dict[str, Any] = {"reason": reason} | ({"amount": {"amount": amount, "currency": "EUR"}} if amount else {})
    return call(cloud, "POST /refunds", order, sub=sub, body=body, key=key)


def test_a_partial_refund_then_the_rest_go_through_the_provider_and_are_recorded(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    partial = refund(shop, paid, 5000, "refund-key-1")
    rest = refund(shop, paid, None, "refund-key-2", sub=ADMIN, reason="returned")

    assert partial.status == 201, partial.body
    assert partial.body["refund"] == partial.body["order"]["refunds"][0]
    first = partial.body["refund"]
    assert (first["refund_id"], first["amount"]["amount"], first["state"], first["by"]) == (
        "re_1",
        5000,
        "succeeded",
        f"operator:{OWNER}",
    )
    assert partial.body["order"]["payment_state"] == "partially_refunded"
    assert partial.body["order"]["refundable"]["amount"] == TOTAL - 5000
    assert rest.status == 201, rest.body
    assert (rest.body["refund"]["amount"]["amount"], rest.body["refund"]["reason"]) == (TOTAL - 5000, "returned")
    assert rest.body["order"]["payment_state"] == "refunded" and rest.body["order"]["refundable"]["amount"] == 0
    assert [(p, a) for p, a, _ in gateway.calls] == [("pi_paid", 5000), ("pi_paid", TOTAL - 5000)]
    read = call(shop, "GET", paid, sub=STAFF)
    assert read.status == 200 and read.body == rest.body["order"]


def test_more_than_is_left_is_a_conflict_and_reaches_no_provider(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    refund(shop, paid, 10000, "refund-key-1")
    before = stored_order(shop, paid)

    over = refund(shop, paid, TOTAL - 10000 + 1, "refund-key-2")

    assert over.status == 409 and over.body["error"]["fields"][0]["field"] == "amount", over.body
    assert len(gateway.calls) == 1 and stored_order(shop, paid) == before
    everything = refund(shop, paid, None, "refund-key-3")
    nothing_left = refund(shop, paid, None, "refund-key-4")
    assert everything.status == 201 and nothing_left.status == 409
    assert gateway.refunded == TOTAL


def test_refunds_raced_from_five_sides_never_pass_what_was_paid(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    start, statuses = threading.Barrier(5), []

    def race(n: int) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # Mangum runs the app on the thread's loop
        start.wait()
        statuses.append(refund(shop, paid, 6000, f"raced-key-{n}").status)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(statuses) == [201, 201, 409, 409, 409]  # 2 x 60.00 fit in 158.41, a third does not
    assert gateway.refunded == 12000  # this fake provider would have refunded anything it was asked for
    order = stored_order(shop, paid)
    assert order["refunded_amount"] == 12000 and len(order["refunds"]) == 2


def test_the_same_idempotency_key_returns_the_same_refund_and_cannot_ask_for_another(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    first = refund(shop, paid, 2000, "refund-key-1")
    again = refund(shop, paid, 2000, "refund-key-1")
    other = refund(shop, paid, 3000, "refund-key-1")

    assert first.status == again.status == 201 and again.body == first.body
    assert other.status == 409 and other.body["error"]["fields"][0]["field"] == "Idempotency-Key"
    assert len(gateway.calls) == 1 and gateway.refunded == 2000


def test_a_refund_cut_off_before_the_provider_answered_is_finished_by_its_retry(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    gateway.crash = True
    cut_off = refund(shop, paid, 4000, "refund-key-1")
    claimed = stored_order(shop, paid)

    retried = refund(shop, paid, 4000, "refund-key-1")

    assert cut_off.status == 500
    assert [r["state"] for r in claimed["refunds"]] == ["requested"] and claimed["refunded_amount"] == 4000
    assert retried.status == 201 and retried.body["refund"]["state"] == "succeeded"
    assert len({key for _, _, key in gateway.calls}) == 1 and gateway.refunded == 4000


def test_a_refund_the_provider_refuses_is_recorded_failed_and_frees_the_amount(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    gateway.refuse = True

    refused = refund(shop, paid, None, "refund-key-1")

    assert refused.status == 409 and "Charge has been disputed" in refused.body["error"]["message"]
    order = call(shop, "GET", paid, sub=OWNER).body
    assert [r["state"] for r in order["refunds"]] == ["failed"]
    assert (order["payment_state"], order["refundable"]["amount"]) == ("paid", TOTAL)


@pytest.mark.parametrize(
    "case",
    [
        ({"reason": "x"}, None, "Idempotency-Key"),
        ({"reason": "x"}, "short", "Idempotency-Key"),
        ({"reason": "x", "amount": {"amount": 0, "currency": "EUR"}}, "refund-key-1", "amount"),
        ({"reason": "x", "amount": {"amount": 100, "currency": "USD"}}, "refund-key-1", "amount.currency"),
        ({"amount": {"amount": 100, "currency": "EUR"}}, "refund-key-1", "reason"),
    ],
)
def test_a_bad_refund_request_changes_nothing(
    shop: Cloud, gateway: RecordingGateway, paid: str, case: tuple[dict[str, Any], str | None, str]
) -> None:
    body, key, field = case
    before = stored_order(shop, paid)

    response = call(shop, "POST /refunds", paid, body=body, key=key)

    assert response.status == 400 and response.body["error"]["fields"][0]["field"] == field, response.body
    assert stored_order(shop, paid) == before and gateway.calls == []


def test_staff_may_read_but_not_refund_and_strangers_learn_nothing(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    staff = refund(shop, paid, None, "refund-key-1", sub=STAFF)
    stranger = call(shop, "GET", paid, sub=STRANGER)
    missing = call(shop, "GET", "no-such-order", sub=OWNER)

    assert staff.status == 403 and gateway.calls == []
    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store"
    assert missing.status == 404 and missing.body["error"]["fields"][0]["field"] == "order"
    assert call(shop, "GET", paid, sub=STAFF).status == 200


def test_a_cash_order_is_marked_paid_once_and_then_refunded_without_a_provider(
    shop: Cloud, gateway: RecordingGateway
) -> None:
    sam = shopper_cart(shop)
    order = place_order(sam)

    marked = call(shop, "POST /mark-paid", order, sub=STAFF)
    again = call(shop, "POST /mark-paid", order, sub=OWNER)
    back = refund(shop, order, None, "refund-key-1")

    assert marked.status == 200, marked.body
    assert (marked.body["payment_state"], marked.body["marked_paid_by"]) == ("paid", f"operator:{STAFF}")
    assert marked.body["paid_at"] is not None
    assert again.status == 409 and again.body["error"]["message"] == "the order is already paid"
    assert (
        back.status == 201 and back.body["refund"]["state"] == "succeeded" and back.body["refund"]["refund_id"] is None
    )
    assert gateway.calls == []  # cash goes back by hand
    assert shopper_call(sam, "GET", "/{order}", order=order).body["payment_state"] == "refunded"


def test_only_unpaid_cash_orders_can_be_marked_paid(shop: Cloud, gateway: RecordingGateway, paid: str) -> None:
    sam = shopper_cart(shop)
    cancelled = place_order(sam)
    assert shopper_call(sam, "POST", "/{order}/cancel", order=cancelled).status == 200

    by_card = call(shop, "POST /mark-paid", paid, sub=OWNER)
    after_cancel = call(shop, "POST /mark-paid", cancelled, sub=OWNER)
    unpaid_refund = refund(shop, cancelled, None, "refund-key-1")

    assert by_card.status == 409 and after_cancel.status == 409
    assert unpaid_refund.status == 409 and unpaid_refund.body["error"]["fields"][0]["field"] == "order"
    assert reserved(shop)["standard"] == 1  # the paid guest order's hold; the cancelled one's went back


def test_a_claim_nobody_retried_is_finished_by_the_next_refund_of_the_order(
    shop: Cloud, gateway: RecordingGateway, paid: str
) -> None:
    gateway.crash = True
    assert refund(shop, paid, 3000, "abandoned-key-1").status == 500  # the caller gave up after this
    shop.client("dynamodb").update_item(  # as it stands three minutes later
        TableName=shop.names["OrdersTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": f"ORDER#{paid}"}},
        UpdateExpression="SET refunds[0].#at = refunds[0].#at - :three_minutes",
        ExpressionAttributeNames={"#at": "at"},
        ExpressionAttributeValues={":three_minutes": {"N": "180"}},
    )

    rest = refund(shop, paid, None, "refund-key-2")

    assert rest.status == 201, rest.body
    assert [(r["amount"]["amount"], r["state"]) for r in rest.body["order"]["refunds"]] == [
        (3000, "succeeded"),
        (TOTAL - 3000, "succeeded"),
    ]
    assert gateway.refunded == TOTAL and len(gateway.made) == 2
