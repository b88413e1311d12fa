"""Operators fulfil orders through the OrderFulfilment function and the "fulfil order" workflow's steps:
stock committed exactly once, partial shipments, tracking, status changes, cancellation and returns."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from nozzly.kernel.domain.errors import Conflict
from tests.functional.fulfilment_helpers import (
    ADMIN,
    STAFF,
    STRANGER,
    add_team,
    executions,
    operator_call,
    run_workflow,
    stock,
)
from tests.functional.harness import Cloud, seed_store
from tests.functional.order_helpers import RecordingGateway, paid_by_card, place_order, stored_order, use_gateway
from tests.functional.test_carts import guest_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SWORD = {"product": "ember-longsword", "variant": "standard"}
ON_HAND = 12  # the seeded Ember Longsword, standard


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    add_team(cloud)
    return cloud


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    return use_gateway(monkeypatch, RecordingGateway())


def three_swords(cloud: Cloud) -> str:
    order = place_order(guest_cart(cloud), quantity=3)
    assert stock(cloud) == (ON_HAND, 3)
    return order


def fulfil(cloud: Cloud, order: str, key: str, body: dict[str, Any] | None = None, **kw: Any) -> Any:
    return operator_call(cloud, "POST /fulfilments", order, body=body or {}, key=key, **kw)


def test_a_fulfilment_is_judged_at_once_then_committed_by_the_workflow_exactly_once(shop: Cloud) -> None:
    order = three_swords(shop)
    body = {"lines": [SWORD | {"quantity": 1}], "carrier": "DHL", "tracking_number": "JD0146"}

    accepted = fulfil(shop, order, "ship-key-001", body, sub=STAFF)

    assert accepted.status == 202, accepted.body
    f = accepted.body["fulfilment"]
    assert (f["state"], f["lines"], f["carrier"]) == ("requested", [SWORD | {"quantity": 1}], "DHL")
    assert f["tracking_url"].endswith("tracking-id=JD0146")
    assert accepted.body["order"]["status"] == "pending" and stock(shop) == (ON_HAND, 3)  # nothing committed yet
    [execution] = executions(shop)
    assert execution["name"] == f["id"] and execution["input"]["fulfilment"]["lines"] == [SWORD | {"quantity": 1}]

    first = run_workflow(shop, execution["input"])
    retried = run_workflow(shop, execution["input"])  # the Commit step retried after it had done its work

    assert (
        first
        == retried
        == {
            "fulfilment_id": f["id"],
            "carrier": "DHL",
            "tracking_number": "JD0146",
            "tracking_url": f["tracking_url"],
        }
    )
    assert stock(shop) == (ON_HAND - 1, 2)
    stored = stored_order(shop, order)
    assert stored["status"] == "processing" and [x["id"] for x in stored["fulfilments"]] == [f["id"]]
    kinds = [(e["kind"], e["by"]) for e in stored["timeline"]]
    assert kinds[1:] == [("status_changed", f"operator:{STAFF}"), ("fulfilment_created", f"operator:{STAFF}")]
    again = fulfil(shop, order, "ship-key-001", body, sub=STAFF)
    assert again.status == 202 and again.body["fulfilment"]["id"] == f["id"]
    assert again.body["fulfilment"]["state"] == "recorded" and len(executions(shop)) == 1


def test_commit_steps_run_at_once_for_one_fulfilment_deduct_its_stock_once(shop: Cloud) -> None:
    order = three_swords(shop)
    fulfil(shop, order, "ship-key-001", {"lines": [SWORD | {"quantity": 2}]})
    payload = {"step": "commit"} | executions(shop)[0]["input"]
    start, results = threading.Barrier(4), []

    def commit() -> None:
        start.wait()  # a retry started while the first attempt was still running (a Lambda timeout)
        results.append(shop.invoke("FulfilmentSteps", payload)["fulfilment_id"])

    threads = [threading.Thread(target=commit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == 4 and len(set(results)) == 1
    assert stock(shop) == (ON_HAND - 2, 1) and len(stored_order(shop, order)["fulfilments"]) == 1


def test_two_partial_shipments_end_shipped_with_stock_down_by_exactly_what_shipped(shop: Cloud) -> None:
    order = three_swords(shop)

    fulfil(shop, order, "ship-key-001", {"lines": [SWORD | {"quantity": 1}]})
    run_workflow(shop, executions(shop)[0]["input"])
    assert stored_order(shop, order)["status"] == "processing"
    rest = fulfil(shop, order, "ship-key-002")  # no lines: everything left
    assert rest.status == 202 and rest.body["fulfilment"]["lines"] == [SWORD | {"quantity": 2}]
    run_workflow(shop, executions(shop)[1]["input"])

    stored = stored_order(shop, order)
    assert stored["status"] == "shipped" and len(stored["fulfilments"]) == 2
    assert stock(shop) == (ON_HAND - 3, 0)
    nothing_left = fulfil(shop, order, "ship-key-003")
    assert nothing_left.status == 409 and nothing_left.body["error"]["allowed"] == ["delivered", "refunded"]


@pytest.mark.parametrize(
    ("key", "body", "status", "field"),
    [
        (None, {}, 400, "Idempotency-Key"),
        ("short", {}, 400, "Idempotency-Key"),
        (
            "ship-key-001",
            {"lines": [{"product": "ember-longsword", "variant": "gilded", "quantity": 1}]},
            400,
            "lines[0]",
        ),
        ("ship-key-001", {"lines": [SWORD | {"quantity": 4}]}, 409, "lines"),
        ("ship-key-001", {"lines": [SWORD | {"quantity": 0}]}, 400, "lines.0.quantity"),
        ("ship-key-001", {"lines": []}, 400, "lines"),
        ("ship-key-001", {"tracking_url": "javascript:alert(1)"}, 400, "tracking_url"),
        ("ship-key-001", {"warehouse": "north"}, 400, "warehouse"),
    ],
)
def test_a_bad_fulfilment_request_changes_nothing_and_starts_nothing(
    shop: Cloud, key: str | None, body: dict[str, Any], status: int, field: str
) -> None:
    order = three_swords(shop)
    before = stored_order(shop, order)

    refused = fulfil(shop, order, key, body) if key else operator_call(shop, "POST /fulfilments", order, body=body)

    assert refused.status == status, refused.body
    assert [x["field"] for x in refused.body["error"]["fields"]] == [field]
    assert stored_order(shop, order) == before and executions(shop) == [] and stock(shop) == (ON_HAND, 3)


def test_the_same_key_with_another_body_is_a_conflict(shop: Cloud) -> None:
    order = three_swords(shop)
    fulfil(shop, order, "ship-key-001", {"lines": [SWORD | {"quantity": 1}]})

    other = fulfil(shop, order, "ship-key-001", {"lines": [SWORD | {"quantity": 2}]})

    assert other.status == 409 and other.body["error"]["fields"][0]["field"] == "Idempotency-Key"
    assert len(executions(shop)) == 1


def test_a_commit_after_the_order_was_cancelled_refuses_and_takes_no_stock(shop: Cloud) -> None:
    order = three_swords(shop)
    fulfil(shop, order, "ship-key-001")
    cancelled = operator_call(shop, "POST /status", order, body={"status": "cancelled", "note": "shopper phoned"})
    assert cancelled.status == 200 and stock(shop) == (ON_HAND, 0)

    with pytest.raises(Conflict):
        run_workflow(shop, executions(shop)[0]["input"])

    assert stock(shop) == (ON_HAND, 0) and stored_order(shop, order)["fulfilments"] == []


def test_the_status_route_walks_an_order_to_delivered_and_refuses_illegal_moves(shop: Cloud) -> None:
    order = three_swords(shop)

    skipped = operator_call(shop, "POST /status", order, body={"status": "delivered"})
    processing = operator_call(shop, "POST /status", order, body={"status": "processing", "note": "packing"})
    shipped = operator_call(
        shop, "POST /status", order, body={"status": "shipped", "carrier": "ups", "tracking_number": "1Z9"}
    )
    repeated = operator_call(
        shop, "POST /status", order, body={"status": "shipped", "carrier": "ups", "tracking_number": "1Z9"}
    )

    assert skipped.status == 409 and skipped.body["error"]["allowed"] == ["processing", "cancelled"]
    assert processing.status == 200 and processing.body["status"] == "processing"
    assert shipped.status == 202, shipped.body
    assert shipped.body["fulfilment"]["lines"] == [SWORD | {"quantity": 3}]
    assert shipped.body["fulfilment"]["tracking_url"] == "https://www.ups.com/track?tracknum=1Z9"
    assert repeated.status == 202 and repeated.body["fulfilment"]["id"] == shipped.body["fulfilment"]["id"]
    [execution] = executions(shop)
    run_workflow(shop, execution["input"])
    assert stored_order(shop, order)["status"] == "shipped" and stock(shop) == (ON_HAND - 3, 0)
    back = operator_call(shop, "POST /status", order, body={"status": "processing"})
    delivered = operator_call(shop, "POST /status", order, body={"status": "delivered"}, sub=STAFF)
    assert back.status == 409 and back.body["error"]["allowed"] == ["delivered", "refunded"]
    assert delivered.status == 200 and delivered.body["status"] == "delivered"
    tracking = {"carrier": "ups", "tracking_number": "1Z9"}
    moves = [
        (e.get("from"), e.get("to")) for e in stored_order(shop, order)["timeline"] if e["kind"] == "status_changed"
    ]
    assert moves == [("pending", "processing"), ("processing", "shipped"), ("shipped", "delivered")]
    assert operator_call(shop, "POST /status", order, body={"status": "delivered"} | tracking).status == 400


def test_a_returned_order_is_refunded_through_the_provider_once(shop: Cloud, gateway: RecordingGateway) -> None:
    order = place_order(guest_cart(shop))
    paid_by_card(shop, order, payment_id="pi_paid")
    operator_call(shop, "POST /status", order, body={"status": "shipped"})
    run_workflow(shop, executions(shop)[0]["input"])

    returned = operator_call(
        shop, "POST /status", order, body={"status": "refunded", "note": "came back unopened"}, sub=ADMIN
    )
    again = operator_call(shop, "POST /status", order, body={"status": "refunded"})

    assert returned.status == 200, returned.body
    body = returned.body
    assert (body["status"], body["payment_state"], body["refundable"]["amount"]) == ("refunded", "refunded", 0)
    assert [(r["state"], r["reason"]) for r in body["refunds"]] == [("succeeded", "came back unopened")]
    assert gateway.calls == [("pi_paid", body["totals"]["total"]["amount"], f"rt-{order}"[:45])]
    assert again.status == 409 and again.body["error"]["allowed"] == [] and len(gateway.calls) == 1


def test_an_operator_cancels_an_unshipped_order_stock_back_payment_refunded(
    shop: Cloud, gateway: RecordingGateway
) -> None:
    order = place_order(guest_cart(shop), quantity=2)
    paid_by_card(shop, order, payment_id="pi_paid")

    cancelled = operator_call(
        shop, "POST /status", order, body={"status": "cancelled", "note": "out of gift wrap"}, sub=STAFF
    )
    again = operator_call(shop, "POST /status", order, body={"status": "cancelled"})

    assert cancelled.status == 200, cancelled.body
    assert (cancelled.body["status"], cancelled.body["payment_state"]) == ("cancelled", "refunded")
    assert stock(shop) == (ON_HAND, 0)
    assert [key for _, _, key in gateway.calls] == [f"cx-{order}"[:45]]
    entry = stored_order(shop, order)["timeline"][1]
    assert (entry["by"], entry["to"]) == (f"operator:{STAFF}", "cancelled") and "out of gift wrap" in entry["text"]
    assert again.status == 409 and again.body["error"]["allowed"] == [] and stock(shop) == (ON_HAND, 0)


def test_an_order_with_a_shipment_cannot_be_cancelled(shop: Cloud) -> None:
    order = three_swords(shop)
    fulfil(shop, order, "ship-key-001", {"lines": [SWORD | {"quantity": 1}]})
    run_workflow(shop, executions(shop)[0]["input"])

    refused = operator_call(shop, "POST /status", order, body={"status": "cancelled"})

    assert refused.status == 409, refused.body
    assert stock(shop) == (ON_HAND - 1, 2) and stored_order(shop, order)["status"] == "processing"


def test_tracking_is_changed_on_the_fulfilment_and_recorded(shop: Cloud) -> None:
    order = three_swords(shop)
    fid = fulfil(shop, order, "ship-key-001").body["fulfilment"]["id"]
    run_workflow(shop, executions(shop)[0]["input"])

    changed = operator_call(
        shop,
        "PATCH /fulfilments/{fulfilment}",
        order,
        body={"carrier": "fedex", "tracking_number": "7777"},
        fulfilment=fid,
    )
    unknown = operator_call(shop, "PATCH /fulfilments/{fulfilment}", order, body={"carrier": "ups"}, fulfilment="ff-0")

    assert changed.status == 200, changed.body
    [stored] = stored_order(shop, order)["fulfilments"]
    assert (stored["carrier"], stored["tracking_url"]) == ("fedex", "https://www.fedex.com/fedextrack/?trknbr=7777")
    assert stored_order(shop, order)["timeline"][-1]["kind"] == "tracking_updated"
    assert unknown.status == 404 and unknown.body["error"]["fields"][0]["field"] == "fulfilment"


def test_only_the_stores_team_moves_its_orders(shop: Cloud) -> None:
    order = three_swords(shop)
    before = stored_order(shop, order)

    stranger = fulfil(shop, order, "ship-key-001", sub=STRANGER)
    nobody = operator_call(shop, "POST /status", order, body={"status": "cancelled"}, sub=None)
    missing = operator_call(shop, "POST /status", "no-such-order", body={"status": "processing"})

    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store"
    assert nobody.status == 401
    assert missing.status == 404 and missing.body["error"]["fields"][0]["field"] == "order"
    assert stored_order(shop, order) == before and executions(shop) == []
