"""Outbound webhooks under moto: the admin routes, the dispatcher's idempotency and the sender's retries
against a real receiver on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from tests.functional.auth_helpers import api_event, outbox
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims
from tests.webhook_receiver import receiver

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = "/admin/stores/{store}/webhooks"
DANA = "dana-sub"  # an admin


def call(cloud: Cloud, method: str, sub: str | None, body: Any = None, tail: str = "", **params: str) -> HttpResponse:
    event = api_event(
        f"{method} {BASE}{tail}",
        path_parameters={"store": STORE, **params},
        body=body,
        claims=claims(sub) if sub else None,
    )
    return cloud.http("WebhooksAdmin", event)


def join(cloud: Cloud, sub: str, role: str, store: str = STORE) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "Forge"}
    item["email"] = f"{role}@{store}.example"
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    join(cloud, ALICE, "owner")
    join(cloud, DANA, "admin")
    join(cloud, BOB, "staff")
    return cloud


def create(cloud: Cloud, url: str, types: list[str] | None = None, sub: str = ALICE) -> dict[str, Any]:
    response = call(cloud, "POST", sub, {"url": url, "event_types": types or ["order.placed"]})
    assert response.status == 201, response.body
    found: dict[str, Any] = response.body
    return found


def order_placed(event_id: str = "evt-1", store: str = STORE) -> dict[str, Any]:
    return {
        "id": event_id,
        "detail-type": "OrderPlaced",
        "source": "nozzly.checkout",
        "time": "2026-12-04T10:00:00Z",
        "detail": {"store_id": store, "order_id": "o-1", "total": 4250, "currency": "EUR"},
    }


def queued(cloud: Cloud) -> list[dict[str, Any]]:
    """Every message on the deliveries queue now, removed from it (what Lambda's poller would do)."""
    sqs = cloud.client("sqs")
    url = cloud.environments["WebhookSender"]["WEBHOOK_QUEUE_URL"]
    found: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not batch:
            return found
        for m in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            found.append({"messageId": m["MessageId"], "body": m["Body"], "eventSource": "aws:sqs"})


def drain(cloud: Cloud, done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the sender on whatever is queued until `done()` (moto's SQS honours DelaySeconds: retries wait)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the deliveries did not settle in time"
        records = queued(cloud)
        if records:
            assert cloud.invoke("WebhookSender", {"Records": records}) == {"batchItemFailures": []}
        else:
            time.sleep(0.2)


def fast_backoff(cloud: Cloud) -> None:
    """Waits of at most a second, and an endpoint failing for ~3 s counts as failing for 3 days."""
    cloud.environments["WebhookSender"]["WEBHOOK_BACKOFF_SCALE"] = "0.00001"


def test_an_owner_creates_an_endpoint_and_sees_its_secret_only_once(shop: Cloud) -> None:
    created = create(shop, "http://127.0.0.1:9/hooks", ["order.placed", "order.paid"])
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["order.paid", "order.placed"]
    read = call(shop, "GET", DANA, tail="/{endpoint}", endpoint=created["endpoint_id"])
    assert read.status == 200
    assert "secret" not in read.body
    listed = call(shop, "GET", ALICE)
    assert [e["endpoint_id"] for e in listed.body["items"]] == [created["endpoint_id"]]
    rotated = call(shop, "POST", ALICE, tail="/{endpoint}/rotate-secret", endpoint=created["endpoint_id"])
    assert rotated.status == 200
    assert rotated.body["secret"] != created["secret"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://10.0.0.7/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data", "metadata"),
        ("https://100.64.0.1/x", "CGNAT"),
        ("ftp://127.0.0.1/x", "https"),
    ],
)
def test_an_unsafe_url_is_refused_with_the_reason_and_nothing_is_created(shop: Cloud, url: str, reason: str) -> None:
    response = call(shop, "POST", ALICE, {"url": url, "event_types": ["order.placed"]})
    assert response.status == 400
    assert reason in json.dumps(response.body)
    assert call(shop, "GET", ALICE).body["items"] == []


def test_unknown_event_types_are_refused(shop: Cloud) -> None:
    response = call(shop, "POST", ALICE, {"url": "http://127.0.0.1:9/x", "event_types": ["order.teleported"]})
    assert response.status == 400
    assert call(shop, "GET", ALICE).body["items"] == []


def test_staff_and_strangers_may_not_manage_webhooks(shop: Cloud) -> None:
    created = create(shop, "http://127.0.0.1:9/hooks")
    assert call(shop, "GET", BOB).status == 403
    assert call(shop, "POST", BOB, {"url": "http://127.0.0.1:9/x", "event_types": ["order.placed"]}).status == 403
    assert call(shop, "GET", CAROL, tail="/{endpoint}", endpoint=created["endpoint_id"]).status in (403, 404)
    assert call(shop, "DELETE", CAROL, tail="/{endpoint}", endpoint=created["endpoint_id"]).status in (403, 404)
    assert call(shop, "GET", ALICE, tail="/{endpoint}", endpoint=created["endpoint_id"]).status == 200


def test_an_admin_of_another_store_cannot_reach_this_one(shop: Cloud) -> None:
    join(shop, CAROL, "owner", store="otherstore")
    created = create(shop, "http://127.0.0.1:9/hooks")
    assert call(shop, "GET", CAROL, tail="/{endpoint}", endpoint=created["endpoint_id"]).status in (403, 404)


def test_the_dispatcher_records_one_delivery_per_endpoint_even_when_the_event_comes_twice(shop: Cloud) -> None:
    wants = create(shop, "http://127.0.0.1:9/a", ["order.placed"])
    create(shop, "http://127.0.0.1:9/b", ["order.paid"])  # not interested
    assert shop.invoke("WebhookDispatcher", order_placed()) == {"enqueued": 1}
    first = queued(shop)
    assert shop.invoke("WebhookDispatcher", order_placed()) == {"enqueued": 0}
    assert queued(shop) == []
    assert len(first) == 1
    log = call(shop, "GET", ALICE, tail="/{endpoint}/deliveries", endpoint=wants["endpoint_id"])
    assert [(d["event_type"], d["status"], d["attempts"]) for d in log.body["items"]] == [
        ("order.placed", "pending", 0)
    ]


def test_events_of_another_store_reach_none_of_this_stores_endpoints(shop: Cloud) -> None:
    create(shop, "http://127.0.0.1:9/a")
    assert shop.invoke("WebhookDispatcher", order_placed(store="otherstore")) == {"enqueued": 0}


def test_a_failing_receiver_is_retried_with_the_same_webhook_id_until_it_accepts(shop: Cloud) -> None:
    with receiver([500, 503, 404]) as rx:
        endpoint = create(shop, rx.url)
        shop.invoke("WebhookDispatcher", order_placed())
        drain(shop, lambda: bool(rx.succeeded()))
        assert [r.status for r in rx.received] == [500, 503, 404, 200]
        assert len({r.headers["webhook-id"] for r in rx.received}) == 1
        winner = rx.succeeded()[0]
        document = Webhook(endpoint["secret"]).verify(winner.body, winner.headers)
        assert document["type"] == "order.placed"
        assert document["data"]["total"] == 4250
    log = call(shop, "GET", ALICE, tail="/{endpoint}/deliveries", endpoint=endpoint["endpoint_id"]).body["items"]
    assert [(d["status"], d["attempts"], d["response_code"]) for d in log] == [("succeeded", 4, 200)]
    assert log[0]["latency_ms"] is not None


def test_a_test_event_and_a_manual_redelivery_reach_the_receiver(shop: Cloud) -> None:
    with receiver() as rx:
        endpoint = create(shop, rx.url)
        sent = call(shop, "POST", ALICE, tail="/{endpoint}/test", endpoint=endpoint["endpoint_id"])
        assert sent.status == 202
        drain(shop, lambda: len(rx.received) == 1)
        again = call(
            shop,
            "POST",
            ALICE,
            tail="/{endpoint}/deliveries/{delivery}/redeliver",
            endpoint=endpoint["endpoint_id"],
            delivery=sent.body["delivery_id"],
        )
        assert again.status == 202
        drain(shop, lambda: len(rx.received) == 2)
    assert [json.loads(r.body)["type"] for r in rx.received] == ["webhook.test", "webhook.test"]
    assert {r.headers["webhook-id"] for r in rx.received} == {sent.body["delivery_id"]}


def test_an_endpoint_failing_for_good_is_disabled_and_gets_nothing_more(shop: Cloud) -> None:
    fast_backoff(shop)
    with receiver([500] * 200) as rx:
        endpoint = create(shop, rx.url)
        shop.invoke("WebhookDispatcher", order_placed())

        def is_disabled() -> bool:
            got = call(shop, "GET", ALICE, tail="/{endpoint}", endpoint=endpoint["endpoint_id"]).body
            return got["enabled"] is False

        drain(shop, is_disabled)
        read = call(shop, "GET", ALICE, tail="/{endpoint}", endpoint=endpoint["endpoint_id"]).body
        assert "failed" in read["disabled_reason"]
        assert [m.subject for m in outbox(f"owner@{STORE}.example")] == ["Webhook endpoint disabled at Forge"]
        before = len(rx.received)
        assert shop.invoke("WebhookDispatcher", order_placed("evt-late")) == {"enqueued": 0}
        assert len(rx.received) == before


def test_the_address_is_checked_again_at_delivery_and_a_refused_one_gets_nothing(shop: Cloud) -> None:
    with receiver() as rx:
        endpoint = create(shop, rx.url)  # loopback is allowed when it is created in the local cloud...
        shop.environments["WebhookSender"]["WEBHOOK_ALLOW_LOOPBACK_HTTP"] = "false"  # ...not where it is sent from
        shop.invoke("WebhookDispatcher", order_placed())

        def attempted() -> bool:
            log = call(shop, "GET", ALICE, tail="/{endpoint}/deliveries", endpoint=endpoint["endpoint_id"])
            return bool(log.body["items"][0]["attempts"])

        drain(shop, attempted)
        assert rx.received == []
    delivery = call(shop, "GET", ALICE, tail="/{endpoint}/deliveries", endpoint=endpoint["endpoint_id"]).body
    assert "refused" in delivery["items"][0]["last_error"]
    assert "loopback" in delivery["items"][0]["last_error"]


def test_an_endpoint_is_changed_refused_unchanged_and_deleted(shop: Cloud) -> None:
    created = create(shop, "http://127.0.0.1:9/hooks")
    one = {"endpoint": created["endpoint_id"]}
    refused = call(shop, "PATCH", DANA, {"url": "https://192.168.0.10/x"}, tail="/{endpoint}", **one)
    assert refused.status == 400
    assert "private" in json.dumps(refused.body)
    assert call(shop, "GET", ALICE, tail="/{endpoint}", **one).body["url"] == "http://127.0.0.1:9/hooks"
    null = call(shop, "PATCH", DANA, {"event_types": None}, tail="/{endpoint}", **one)
    assert null.status == 400
    changed = call(shop, "PATCH", DANA, {"event_types": ["stock.low"], "enabled": False}, tail="/{endpoint}", **one)
    assert changed.status == 200, changed.body
    assert (changed.body["event_types"], changed.body["enabled"]) == (["stock.low"], False)
    assert call(shop, "DELETE", DANA, tail="/{endpoint}", **one).status == 204
    assert call(shop, "GET", ALICE, tail="/{endpoint}", **one).status == 404
