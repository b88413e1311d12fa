"""Over HTTP in the local cloud, the proof issue 13 asks for: a guest's cart with an email expires, the 24 h
reminder is fired, its "back to your cart" link's token restores the lines into a new guest session's cart, and
that cart checks out (cash on delivery) into an order holding the lines."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call
from tests.e2e.shop import check_out, guest_cart, import_step, outbox, put_product

pytestmark = pytest.mark.e2e
STORE = "recovery-forge"
HOUR = 3600
SCHEDULE = "CartRemindersEvery15Minutes"
LINK = re.compile(r"/shop/recovery-forge/account/cart/recover\?token=([A-Za-z0-9_-]{32})")


@pytest.fixture(scope="module")
def shop(local_cloud: LocalCloud) -> LocalCloud:
    store = {"id": STORE, "name": "Recovery Forge", "currency": "EUR", "country": "DE"}
    import_step(local_cloud, {"step": "store", "store": store, "categories": [{"slug": "goods", "name": "Goods"}]})
    return local_cloud


def left_a_day_ago(cloud: LocalCloud, session: str) -> None:
    """What a day without the shopper does: the cart expired (TTL may take days to delete it; readers ignore
    it), and its reminder snapshot was last touched 24 h ago."""
    table, dynamodb = cloud.names["CartsTable"], cloud.client("dynamodb")
    now = int(time.time())
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": STORE}, "sk": {"S": f"CART#guest:{session}"}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": str(now - 60)}},
    )
    touched = now - 24 * HOUR - 60
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": STORE}, "sk": {"S": f"REMIND#guest:{session}"}},
        UpdateExpression="SET touched_at = :t, gsi2pk = :bucket",
        ExpressionAttributeValues={
            ":t": {"N": str(touched)},
            ":bucket": {"S": "TOUCHED#" + time.strftime("%Y-%m-%dT%H", time.gmtime(touched))},
        },
    )


def reminders(cloud: LocalCloud, email: str) -> list[dict[str, Any]]:
    return [m for m in outbox(cloud, email) if m["subject"].startswith("Still thinking it over?")]


def test_a_cart_left_to_expire_comes_back_from_its_24_hour_reminder_and_checks_out(shop: LocalCloud) -> None:
    email = f"recover-{uuid.uuid4().hex[:12]}@example.com"
    lantern, kettle = put_product(shop, STORE, "rf-lantern", 5, price=2500), put_product(shop, STORE, "rf-kettle", 3)
    session = guest_cart(shop, STORE, lantern, 2)
    added = call(shop, "POST", f"/stores/{STORE}/carts/{session}/items", body={"product": kettle})
    assert added.status == 200, added.body
    given = call(shop, "PUT", f"/stores/{STORE}/carts/{session}/email", body={"email": email})
    assert given.status == 200, given.body
    left_a_day_ago(shop, session)
    assert call(shop, "GET", f"/stores/{STORE}/carts/{session}").json()["items"] == []  # the cart is gone

    fired = shop.api(f"/_local/schedules/{SCHEDULE}", "POST")

    assert fired.status == 202, fired.body
    sent = shop.eventually(lambda: reminders(shop, email), lambda found: len(found) == 1, 30)
    assert len(sent) == 1 and "Your cart is still waiting for you." in sent[0]["body"], sent
    link = LINK.search(sent[0]["body"])
    assert link is not None, sent[0]["body"]

    recovered = call(shop, "POST", f"/stores/{STORE}/carts/recover", body={"token": link[1]})

    assert recovered.status == 200, recovered.body
    body = recovered.json()
    new_session = body["session_id"]
    assert new_session and new_session != session and body["not_restored"] == []
    assert [(i["product"], i["quantity"]) for i in body["cart"]["items"]] == [(lantern, 2), (kettle, 1)]
    again = call(shop, "POST", f"/stores/{STORE}/carts/recover", body={"token": link[1], "session_id": new_session})
    assert again.status == 200 and again.json()["cart"] == body["cart"]  # no doubled quantities

    placed = check_out(shop, STORE, {"session_id": new_session, "payment_method": "cash_on_delivery", "email": email})

    assert placed["status"] == "placed", placed
    order = shop.client("dynamodb").get_item(
        TableName=shop.names["OrdersTable"], Key={"pk": {"S": STORE}, "sk": {"S": f"ORDER#{placed['id']}"}}
    )["Item"]
    lines = from_item(order)["lines"]
    assert sorted((line["product"], int(line["quantity"])) for line in lines) == [(kettle, 1), (lantern, 2)]
