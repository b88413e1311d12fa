"""The in-app inbox: a bus event becomes one notification per operator of its store (by their preferences) and one
for the order's shopper; a redelivered event writes and counts nothing; the unread count stays exact however often
a notification is marked read; nobody reads another store's or another person's inbox."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.notification_helpers import (
    bus_event,
    inbox_items,
    operator_call,
    shopper_call,
    store_order,
)
from tests.functional.review_helpers import join

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER, STAFF, OTHER = (f"0f1e2d3c-aaaa-4000-8000-00000000000{n}" for n in (1, 2, 3))
SAM, AVA = "5a5a5a5a-0000-4000-8000-000000000001", "5a5a5a5a-0000-4000-8000-000000000002"
OTHER_STORE = "other-store"


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    seed_store(cloud, OTHER_STORE)
    join(cloud, OWNER, "owner")
    join(cloud, STAFF, "staff")
    join(cloud, OTHER, "owner", OTHER_STORE)
    store_order(cloud, "o-1", SAM)
    return cloud


def _inbox(cloud: Cloud, sub: str, query: str = "") -> Any:
    response = operator_call(cloud, "GET /notifications", sub, query=query)
    assert response.status == 200, response.body
    return response.body


def test_a_new_order_reaches_every_operator_of_the_store_once_however_often_delivered(shop: Cloud) -> None:
    event = bus_event(1, "OrderPlaced", amount=4400, currency="EUR")

    assert shop.invoke("NotificationFeed", event) == {"written": 2}
    assert shop.invoke("NotificationFeed", event) == {"written": 0}  # EventBridge delivers at least once

    assert len(inbox_items(shop)) == 2
    page = _inbox(shop, STAFF)
    assert page["unread"] == 1
    (item,) = page["items"]
    assert item["title"] == "New order: Order #1001" and item["body"] == "Total €44.00."
    assert item["link"] == f"#/s/{STORE}/orders/o-1" and item["read_at"] is None


def test_the_inbox_is_newest_first_paged_and_filters_unread(shop: Cloud) -> None:
    for n in (2, 1, 3):
        shop.invoke("NotificationFeed", bus_event(n, "OrderPlaced"))
    first = _inbox(shop, OWNER, "limit=2")
    titles = [i["title"] for i in first["items"]]
    assert titles == ["New order: Order #1003", "New order: Order #1002"]
    rest = _inbox(shop, OWNER, f"limit=2&cursor={first['next_cursor']}")
    assert [i["title"] for i in rest["items"]] == ["New order: Order #1001"]

    newest = first["items"][0]["id"]
    assert operator_call(shop, "POST /notifications/{notification}/read", OWNER, notification=newest).status == 200
    unread = _inbox(shop, OWNER, "unread=true")
    assert [i["title"] for i in unread["items"]] == ["New order: Order #1002", "New order: Order #1001"]
    assert unread["unread"] == 2


def test_marking_read_counts_once_however_often_repeated(shop: Cloud) -> None:
    shop.invoke("NotificationFeed", bus_event(1))
    shop.invoke("NotificationFeed", bus_event(2))
    (newest, older) = [i["id"] for i in _inbox(shop, OWNER)["items"]]

    for _ in range(3):
        response = operator_call(shop, "POST /notifications/{notification}/read", OWNER, notification=newest)
        assert response.status == 200 and response.body["read_at"] is not None
    assert _inbox(shop, OWNER)["unread"] == 1

    first = operator_call(shop, "POST /notifications/read-all", OWNER)
    again = operator_call(shop, "POST /notifications/read-all", OWNER)
    assert (first.body, again.body) == ({"marked": 1, "unread": 0}, {"marked": 0, "unread": 0})
    assert _inbox(shop, STAFF)["unread"] == 2  # the staff member's inbox is their own
    assert {i["id"]: i["read_at"] is not None for i in _inbox(shop, OWNER)["items"]} == {newest: True, older: True}


def test_an_unknown_notification_is_404_and_a_bad_query_400(shop: Cloud) -> None:
    missing = operator_call(shop, "POST /notifications/{notification}/read", OWNER, notification="9999-nope")
    assert missing.status == 404 and missing.body["error"]["code"] == "not_found"
    assert operator_call(shop, "GET /notifications", OWNER, query="limit=0").status == 400
    assert operator_call(shop, "GET /notifications", OWNER, query="cursor=garbage").status == 400
    assert _inbox(shop, OWNER)["unread"] == 0


def test_an_operator_of_another_store_cannot_read_or_mark_this_inbox(shop: Cloud) -> None:
    shop.invoke("NotificationFeed", bus_event(1))
    (item,) = _inbox(shop, OWNER)["items"]

    assert operator_call(shop, "GET /notifications", OTHER).status == 404
    assert operator_call(shop, "POST /notifications/{notification}/read", OTHER, notification=item["id"]).status == 404
    assert operator_call(shop, "POST /notifications/read-all", OTHER).status == 404
    assert operator_call(shop, "GET /notifications", OTHER, store=OTHER_STORE).body["items"] == []
    assert _inbox(shop, OWNER)["unread"] == 1


def test_a_shopper_hears_of_their_own_order_only(shop: Cloud) -> None:
    shipped = bus_event(5, "ShipmentCreated", carrier="DHL", tracking_number="JD01", tracking_url=None)
    del shipped["detail"]["order_number"]  # the fulfilment workflow's detail names no number

    assert shop.invoke("NotificationFeed", shipped) == {"written": 1}  # no operator kind; the shopper's

    mine = shopper_call(shop, "GET /notifications", SAM)
    assert mine.status == 200 and mine.body["unread"] == 1
    (item,) = mine.body["items"]
    assert item["title"] == "Your order #1777 is on its way"
    assert item["body"] == "Shipped with DHL tracking JD01."
    assert item["link"] == "/account/orders/o-1"
    assert shopper_call(shop, "GET /notifications", AVA).body == {"items": [], "unread": 0, "next_cursor": None}
    stranger = shopper_call(shop, "POST /notifications/{notification}/read", AVA, notification=item["id"])
    assert stranger.status == 404
    assert shopper_call(shop, "GET /notifications", SAM, store=OTHER_STORE).status == 401  # a token of this store
    read = shopper_call(shop, "POST /notifications/read-all", SAM)
    assert read.body == {"marked": 1, "unread": 0}


def test_a_guest_order_notifies_no_shopper(shop: Cloud) -> None:
    store_order(shop, "o-guest", None)

    assert shop.invoke("NotificationFeed", bus_event(6, "OrderDelivered", order="o-guest")) == {"written": 0}
    assert inbox_items(shop) == []


def test_an_operator_who_muted_a_kind_does_not_get_it(shop: Cloud) -> None:
    default = operator_call(shop, "GET /notification-preferences", STAFF)
    assert default.status == 200 and default.body["muted"] == [] and "low_stock" in default.body["enabled"]

    saved = operator_call(shop, "PUT /notification-preferences", STAFF, body={"muted": ["low_stock"]})
    assert saved.status == 200 and "low_stock" not in saved.body["enabled"]
    low = bus_event(7, "LowStock", product="ember", title="Ember", available=2)
    del low["detail"]["order_id"]

    assert shop.invoke("NotificationFeed", low) == {"written": 1}  # the owner's only
    assert _inbox(shop, STAFF)["items"] == []
    assert operator_call(shop, "GET /notification-preferences", OWNER).body["muted"] == []


def test_bad_preferences_are_a_clear_400_and_change_nothing(shop: Cloud) -> None:
    wrong = operator_call(shop, "PUT /notification-preferences", STAFF, body={"muted": ["order_shipped"]})
    assert wrong.status == 400 and wrong.body["error"]["fields"][0]["field"] == "muted"
    assert operator_call(shop, "PUT /notification-preferences", STAFF, body={"muted": "x"}).status == 400
    assert operator_call(shop, "GET /notification-preferences", STAFF).body["muted"] == []


def _removed(image: dict[str, Any], n: int) -> dict[str, Any]:
    """A stream record of the TTL removing the item (as Lambda gets it from the table's stream)."""
    return {
        "eventID": f"r-{n}",
        "eventName": "REMOVE",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
        "dynamodb": {
            "Keys": {"pk": image["pk"], "sk": image["sk"]},
            "OldImage": image,
            "SequenceNumber": f"{n:021d}",
            "StreamViewType": "OLD_IMAGE",
        },
        "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2026",
    }


def test_an_unread_notification_the_ttl_removes_is_counted_off_once(shop: Cloud) -> None:
    shop.invoke("NotificationFeed", bus_event(1))
    shop.invoke("NotificationFeed", bus_event(2))
    older, newer = sorted((i for i in inbox_items(shop) if OWNER in i["pk"]["S"]), key=lambda i: i["sk"]["S"])[::-1]
    operator_call(shop, "POST /notifications/{notification}/read", OWNER, notification=newer["sk"]["S"][2:])
    assert _inbox(shop, OWNER)["unread"] == 1

    batch = {"Records": [_removed(older, 1), _removed(newer, 2), _removed(older, 3)]}  # the last: redelivered
    assert shop.invoke("NotificationExpiry", batch) == {"batchItemFailures": []}

    assert _inbox(shop, OWNER)["unread"] == 0  # the unread one counted off once; the read one not again
    assert _inbox(shop, STAFF)["unread"] == 2  # another person's count is untouched
    assert not [i for i in _inbox(shop, OWNER)["items"] if i["id"].startswith("X")]  # tombstones never list
