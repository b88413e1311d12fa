"""OrderEvents on the orders table's stream, fed by the poller the local cloud runs (the template's mapping, its
filter and batching): real order writes (mark paid, refund, cancel, an operator's order) become events, and
those events make OrderEmails send each email once, also when a failed batch is delivered again."""

from __future__ import annotations

import dataclasses
import json
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from localcloud.intrinsics import Resolver
from localcloud.streams import Poller, mappings
from localcloud.template import LOCAL_PARAMETERS, load_sam, transformed
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.orders import Channel, OrderStatus, TimelineEntry, TimelineKind
from tests.functional.auth_helpers import outbox
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.order_helpers import RecordingGateway, paid_by_card, place_order, shopper_call, use_gateway
from tests.functional.store_helpers import ALICE
from tests.functional.test_carts import guest_cart, shopper_cart
from tests.functional.test_order_refunds import call, refund

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@dataclass
class Bus:
    """What OrderEvents puts on the bus, as EventBridge hands it to a rule's target. (moto's in-process
    EventBridge cannot deliver to a Lambda target; the local cloud's bridge does, see the e2e tests.)"""

    published: list[dict[str, Any]] = field(default_factory=list)
    failures: int = 0  # the next this many publishes fail, as a throttled PutEvents does

    def take(self) -> list[dict[str, Any]]:
        taken, self.published = self.published, []
        round_trip: list[dict[str, Any]] = json.loads(json.dumps(taken))
        return round_trip


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Bus:
    from nozzly.kernel.adapters.events import EventPublisher, PublishFailed

    recorded = Bus()

    def publish(self: EventPublisher, source: str, detail_type: str, detail: dict[str, Any]) -> None:
        if recorded.failures:
            recorded.failures -= 1
            raise PublishFailed("ThrottlingException")
        recorded.published.append({"source": f"nozzly.{source}", "detail-type": detail_type, "detail": detail})

    monkeypatch.setattr(EventPublisher, "publish", publish)
    return recorded


@dataclass
class Stream:
    """The template's OrderEvents mapping, polled as the local cloud polls it; every invocation is kept."""

    cloud: Cloud
    poller: Poller
    invocations: list[tuple[dict[str, Any], Any]] = field(default_factory=list)

    def drain(self) -> int:
        def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
            try:
                result = self.cloud.invoke("OrderEvents", event)
            except Exception:
                return {"errorType": "Unhandled", "stackTrace": traceback.format_exc()}, "Unhandled"
            self.invocations.append((event, result))
            return result, None

        return self.poller.drain(invoke)

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [record for event, _ in self.invocations for record in event["Records"]]


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    item = {"pk": STORE, "sk": f"MEMBER#{ALICE}", "type": "member", "sub": ALICE, "role": "owner", "store_name": "MF"}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})
    return cloud


@pytest.fixture
def stream(shop: Cloud) -> Iterator[Stream]:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    (mapping,) = [
        m for m in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))) if m.logical_id.startswith("OrderEvents")
    ]
    yield Stream(shop, Poller(mapping, shop.client))


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    return use_gateway(monkeypatch, RecordingGateway())


def email(cloud: Cloud, events: list[dict[str, Any]]) -> list[str]:
    """The events OrderEmails' rule matches, each handed to it twice (EventBridge delivers at least once); the
    subjects of the emails sent meanwhile."""
    rule = load_sam()["Resources"]["OrderEmails"]["Properties"]["Events"]["OrderPlaced"]["Properties"]["Pattern"]
    routed = [e for e in events if e["detail-type"] in rule["detail-type"]]
    before = len(outbox("sam@example.com"))
    for event in routed + routed:
        cloud.invoke("OrderEmails", event)
    return [m.subject for m in outbox("sam@example.com")[before:]]


def test_a_web_order_placed_by_checkout_is_not_announced_again(shop: Cloud, bus: Bus, stream: Stream) -> None:
    place_order(guest_cart(shop))

    stream.drain()

    assert bus.take() == []  # the checkout saga's last state announces it
    assert stream.delivered, "the order's insert reached the function"
    # The mapping's filter: the checkout's own writes (same table) never reach the function.
    assert {r["dynamodb"]["NewImage"]["type"]["S"] for r in stream.delivered} == {"order"}


def test_marking_a_cash_order_paid_sends_one_payment_receipt(shop: Cloud, bus: Bus, stream: Stream) -> None:
    order = place_order(guest_cart(shop))
    stream.drain()

    assert call(shop, "POST /mark-paid", order).status == 200
    stream.drain()
    stream.drain()  # nothing new: nothing published twice

    events = bus.take()
    assert [(e["source"], e["detail-type"]) for e in events] == [("nozzly.orders", "PaymentReceived")]
    assert events[0]["detail"] == {
        "store_id": STORE,
        "order_id": order,
        "order_number": 1001,
        "amount": 15934,
        "currency": "EUR",
        "by": f"operator:{ALICE}",
    }
    assert email(shop, events) == ["Payment received for Mystmere Forge order #1001"]


def test_an_operators_refund_sends_the_refund_email(
    shop: Cloud, bus: Bus, stream: Stream, gateway: RecordingGateway
) -> None:
    order = place_order(guest_cart(shop))
    paid_by_card(shop, order)  # an update of the order that adds nothing to its timeline
    assert refund(shop, order, 2500, "refund-key-0001").status == 201

    stream.drain()

    events = bus.take()
    assert [e["detail-type"] for e in events] == ["OrderRefunded"]  # the claim alone is no news
    assert events[0]["detail"] == {
        "store_id": STORE,
        "order_id": order,
        "order_number": 1001,
        "refund_id": "re_1",
        "amount": 2500,
        "currency": "EUR",
    }
    assert email(shop, events) == ["Refund for your Mystmere Forge order #1001"]


def test_a_shopper_cancelling_a_paid_order_hears_of_the_cancellation_and_the_refund(
    shop: Cloud, bus: Bus, stream: Stream, gateway: RecordingGateway
) -> None:
    sam = shopper_cart(shop)
    order = place_order(sam)
    paid_by_card(shop, order)
    bus.take()  # the sign-up announced a CustomerCreated: not this story

    assert shopper_call(sam, "POST", "/{order}/cancel", order=order).status == 200
    stream.drain()

    events = bus.take()
    assert [e["detail-type"] for e in events] == ["OrderStatusChanged", "OrderCancelled", "OrderRefunded"]
    assert events[0]["detail"]["from"] == "pending" and events[0]["detail"]["to"] == "cancelled"
    assert events[1]["detail"]["reason"] == "cancelled by the shopper"
    assert events[2]["detail"]["amount"] == gateway.refunded == 15934
    assert email(shop, events) == [
        "Your Mystmere Forge order #1001 was cancelled",
        "Refund for your Mystmere Forge order #1001",
    ]


def test_a_failed_publish_is_delivered_again_and_each_email_still_goes_once(
    shop: Cloud, bus: Bus, stream: Stream
) -> None:
    first, second = place_order(guest_cart(shop)), place_order(guest_cart(shop))
    stream.drain()
    for order in (first, second):
        assert call(shop, "POST /mark-paid", order).status == 200
    bus.failures = 1  # the first order's event

    stream.drain()

    reported = [r for _, r in stream.invocations if r["batchItemFailures"]]
    assert len(reported) == 1, "the failed record was reported to the stream, not dropped"
    events = bus.take()
    paid = sorted(e["detail"]["order_number"] for e in events if e["detail-type"] == "PaymentReceived")
    assert set(paid) == {1001, 1002}  # the second may come twice: at least once
    assert sorted(email(shop, events)) == [
        "Payment received for Mystmere Forge order #1001",
        "Payment received for Mystmere Forge order #1002",
    ]


def test_an_order_an_operator_created_is_announced_and_confirmed(shop: Cloud, bus: Bus, stream: Stream) -> None:
    orders = OrdersRepository(shop.names["OrdersTable"])
    web = orders.get(STORE, place_order(guest_cart(shop)))
    assert web is not None
    entry = TimelineEntry(1_790_000_000, f"operator:{ALICE}", TimelineKind.PLACED, "Order #1002 taken by phone")
    phone = dataclasses.replace(
        web, order_id="b" * 32, number=1002, channel=Channel.MANUAL, timeline=(entry,), status=OrderStatus.PENDING
    )
    shop.client("dynamodb").transact_write_items(TransactItems=[orders.put_op(phone)])

    stream.drain()

    events = bus.take()
    assert [(e["detail-type"], e["detail"]) for e in events] == [
        ("OrderPlaced", {"store_id": STORE, "order_id": "b" * 32, "order_number": 1002, "channel": "manual"})
    ]
    assert email(shop, events) == ["Your Mystmere Forge order #1002"]
