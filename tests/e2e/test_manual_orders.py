"""A manual order end to end in the local cloud: an operator's POST over HTTP holds the stock, the order is read
back through OrderPayments, and OrderPlaced on the bus reaches OrderEmails, whose confirmation is in the outbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nozzly.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.operators import call, log_in

pytestmark = pytest.mark.e2e
STORE = "counter-forge"
OWNER_EMAIL = "counter-owner@manual.test"
SALE = {
    "channel": "pos",
    "email": "walk-in@manual.test",
    "lines": [{"product": "counter-lantern", "quantity": 2}],
    "shipping_address": {
        "name": "Walk In",
        "line1": "Markt 1",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
    },
    "payment": "paid",
}


def _import(cloud: LocalCloud, payload: dict[str, Any]) -> Any:
    answer = cloud.client("lambda").invoke(FunctionName=cloud.names["CatalogImport"], Payload=json.dumps(payload))
    return json.loads(answer["Payload"].read())


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    """The access token of the store's owner; the store sells 5 lanterns."""
    token = log_in(local_cloud, "", OWNER_EMAIL)
    store = {"id": STORE, "name": "Counter Forge", "currency": "EUR", "country": "DE", "owner_email": OWNER_EMAIL}
    _import(local_cloud, {"step": "store", "store": store, "categories": [{"slug": "goods", "name": "Goods"}]})
    lantern = {
        "slug": "counter-lantern",
        "title": "Counter Lantern",
        "category": "goods",
        "price": {"amount": 2500, "currency": "EUR"},
        "images": [],
        "variants": [{"id": "default", "sku": "CF-LANTERN", "stock_on_hand": 5}],
    }
    _import(
        local_cloud,
        {"step": "product", "store_id": STORE, "currency": "EUR", "categories": ["goods"]} | {"product": lantern},
    )
    return token


def enter(cloud: LocalCloud, token: str, body: dict[str, Any], key: str) -> Response:
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}", "idempotency-key": key}
    return http_request(f"{cloud.api_url}/admin/stores/{STORE}/orders", "POST", headers, json.dumps(body).encode())


def reserved(cloud: LocalCloud) -> int:
    item = cloud.client("dynamodb").get_item(
        TableName=cloud.names["CatalogTable"], Key={"pk": {"S": STORE}, "sk": {"S": "PRODUCT#counter-lantern"}}
    )["Item"]
    return int(from_item(item)["variants"][0]["reserved"])


def test_a_counter_sale_holds_stock_once_and_its_shopper_gets_the_confirmation(
    local_cloud: LocalCloud, owner: str
) -> None:
    created = enter(local_cloud, owner, SALE, "counter-sale-0001")
    retried = enter(local_cloud, owner, SALE, "counter-sale-0001")
    short = enter(
        local_cloud, owner, SALE | {"lines": [{"product": "counter-lantern", "quantity": 4}]}, "counter-sale-0002"
    )

    assert created.status == 201, created.body
    order = created.json()
    assert (retried.status, retried.json()) == (200, order)
    assert short.status == 409 and short.json()["error"]["fields"][0]["field"] == "lines[0]", short.body
    assert reserved(local_cloud) == 2
    read = call(local_cloud, "GET", f"/admin/stores/{STORE}/orders/{order['id']}", owner)
    assert read.status == 200 and read.json() == order
    assert (order["payment_method"], order["payment_state"], order["totals"]["total"]["amount"]) == (
        "offline",
        "paid",
        5950,
    )

    def confirmations() -> list[dict[str, Any]]:
        messages = json.loads(local_cloud.api(f"/_local/outbox?to={SALE['email']}").body)["messages"]
        return [m for m in messages if m["subject"] == f"Your Counter Forge order #{order['number']}"]

    sent = local_cloud.eventually(confirmations, bool, timeout=20)
    assert len(sent) == 1 and "Paid" in sent[0]["body"]  # announced twice (the retry), sent once
