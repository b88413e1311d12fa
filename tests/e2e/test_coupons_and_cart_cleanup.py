"""Over HTTP in the local cloud: the demo owner creates a coupon a guest cart then uses, and the hourly
cart cleanup, fired on demand, removes a stale cart while a live one stays."""

from __future__ import annotations

import secrets
import time

import pytest

from localcloud import demo_owner
from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call

pytestmark = pytest.mark.e2e
STORE = "mystmereforge"
HOUR = 3600


def owner_token(cloud: LocalCloud) -> str:
    login = call(cloud, "POST", "/auth/login", body={"email": demo_owner.EMAIL, "password": demo_owner.PASSWORD})
    assert login.status == 200, login.body
    return str(login.json()["access_token"])


def guest_cart(cloud: LocalCloud) -> str:
    session = call(cloud, "POST", f"/stores/{STORE}/sessions")
    assert session.status == 201, session.body
    session_id = str(session.json()["session_id"])
    added = call(cloud, "POST", f"/stores/{STORE}/carts/{session_id}/items", body={"product": "ember-longsword"})
    assert added.status == 200, added.body
    return session_id


def test_the_demo_owner_creates_a_coupon_that_a_guest_cart_applies(local_cloud: LocalCloud) -> None:
    token = owner_token(local_cloud)
    code = f"E2E{secrets.token_hex(3).upper()}"
    coupon = {"code": code.lower(), "kind": "percent", "value": 1000, "categories": ["blades"]}

    created = call(local_cloud, "POST", f"/admin/stores/{STORE}/coupons", token, coupon)

    assert created.status == 201, created.body
    assert created.json()["code"] == code and created.json()["uses"] == 0
    listed = call(local_cloud, "GET", f"/admin/stores/{STORE}/coupons", token).json()["items"]
    assert code in [c["code"] for c in listed]
    session = guest_cart(local_cloud)
    applied = call(local_cloud, "PUT", f"/stores/{STORE}/carts/{session}/coupon", body={"code": code})
    assert applied.status == 200, applied.body
    totals = applied.json()["totals"]
    assert totals["discount"]["amount"] == totals["subtotal"]["amount"] // 10


def test_the_fired_cleanup_removes_a_stale_cart_and_keeps_a_live_one(local_cloud: LocalCloud) -> None:
    live = guest_cart(local_cloud)
    table = local_cloud.names["CartsTable"]
    expired = int(time.time()) - HOUR
    stale = {  # a cart as the Carts function saved it a day and an hour ago
        "pk": {"S": STORE},
        "sk": {"S": "CART#guest:e2e-stale"},
        "type": {"S": "cart"},
        "owner": {"S": "guest"},
        "owner_id": {"S": "e2e-stale"},
        "currency": {"S": "EUR"},
        "updated_at": {"N": str(expired - 24 * HOUR)},
        "expires_at": {"N": str(expired)},
        "gsi1pk": {"S": "EXPIRES#" + time.strftime("%Y-%m-%dT%H", time.gmtime(expired))},
        "gsi1sk": {"S": f"{STORE}#guest:e2e-stale"},
        "version": {"N": "1"},
        "lines": {"L": []},
    }
    dynamodb = local_cloud.client("dynamodb")
    dynamodb.put_item(TableName=table, Item=stale)

    fired = local_cloud.api("/_local/schedules/CartCleanupHourly", "POST")

    assert fired.status == 202, fired.body
    key = {"pk": {"S": STORE}, "sk": {"S": "CART#guest:e2e-stale"}}
    local_cloud.eventually(lambda: dynamodb.get_item(TableName=table, Key=key).get("Item"), lambda i: i is None, 30)
    kept = call(local_cloud, "GET", f"/stores/{STORE}/carts/{live}")
    assert kept.status == 200 and len(kept.json()["items"]) == 1, kept.body
    assert fired.json()["fired"].endswith("-CartCleanupHourly")
