"""The operators' order list end to end in the local cloud: an order placed through the checkout workflow is
in its store's list on the very next request, with its timeline, and filters find it."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.operators import call, log_in

pytestmark = pytest.mark.e2e
STORE = "ledger-forge"
OWNER_EMAIL = "owner@ledger-forge.test"
ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}


def _import(cloud: LocalCloud, payload: dict[str, Any]) -> Any:
    answer = cloud.client("lambda").invoke(FunctionName=cloud.names["CatalogImport"], Payload=json.dumps(payload))
    return json.loads(answer["Payload"].read())


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    token = log_in(local_cloud, "", OWNER_EMAIL)
    store = {"id": STORE, "name": "Ledger Forge", "currency": "EUR", "country": "DE", "owner_email": OWNER_EMAIL}
    _import(local_cloud, {"step": "store", "store": store, "categories": [{"slug": "goods", "name": "Goods"}]})
    product = {
        "slug": "ledger-lamp",
        "title": "Ledger Lamp",
        "category": "goods",
        "price": {"amount": 4200, "currency": "EUR"},
        "images": [],
        "variants": [{"id": "default", "sku": "LF-LAMP", "stock_on_hand": 20}],
    }
    _import(
        local_cloud,
        {"step": "product", "store_id": STORE, "currency": "EUR", "categories": ["goods"], "product": product},
    )
    return token


def placed_order(cloud: LocalCloud, email: str) -> str:
    session, now = secrets.token_urlsafe(32), int(time.time())
    cloud.client("dynamodb").put_item(
        TableName=cloud.names["IdentityTable"],
        Item={
            "pk": {"S": f"GUEST#{STORE}#{session}"},
            "sk": {"S": "SESSION"},
            "store": {"S": STORE},
            "created_at": {"N": str(now)},
            "expires_at": {"N": str(now + 3600)},
        },
    )
    added = call(cloud, "POST", f"/stores/{STORE}/carts/{session}/items", body={"product": "ledger-lamp"})
    assert added.status == 200, added.body
    body = {
        "session_id": session,
        "email": email,
        "shipping_address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": "cash_on_delivery",
    }
    headers = {"content-type": "application/json", "idempotency-key": f"key-{uuid.uuid4().hex}"}
    started = http_request(f"{cloud.api_url}/stores/{STORE}/checkout", "POST", headers, json.dumps(body).encode())
    assert started.status == 202, started.body
    checkout = str(started.json()["id"])

    def progress() -> dict[str, Any]:
        found: dict[str, Any] = call(cloud, "GET", f"/stores/{STORE}/checkouts/{checkout}").json()
        return found

    assert cloud.eventually(progress, lambda p: p.get("status") in ("placed", "failed"), 60)["status"] == "placed"
    return checkout


def test_a_placed_order_is_in_the_list_on_the_next_request_with_its_timeline(
    local_cloud: LocalCloud, owner: str
) -> None:
    first = placed_order(local_cloud, "ada@example.com")
    second = placed_order(local_cloud, "Grace@Example.com")

    listed = call(local_cloud, "GET", f"/admin/stores/{STORE}/orders", owner)
    by_email = call(local_cloud, "GET", f"/admin/stores/{STORE}/orders?email=grace@example.com", owner)
    detail = call(local_cloud, "GET", f"/admin/stores/{STORE}/orders/{second}", owner)

    assert listed.status == 200, listed.body
    rows = listed.json()["items"]
    assert [r["id"] for r in rows[:2]] == [second, first]
    assert rows[0]["number"] == rows[1]["number"] + 1
    assert [r["id"] for r in by_email.json()["items"]] == [second]
    timeline = detail.json()["timeline"]
    assert [(e["kind"], e["by"], e["to_status"]) for e in timeline] == [("placed", "guest", "pending")]
    assert detail.json()["allowed_next"] == ["processing", "cancelled"]
