"""Reviews end to end over HTTP in the local cloud: a shopper buys through the checkout saga, reviews the product,
the store's owner approves it, the storefront shows it with the average.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.operators import call, log_in

pytestmark = pytest.mark.e2e
STORE, PRODUCT = "review-forge", "review-lantern"
ADDRESS = {"name": "Rae Reviewer", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}


def _import(cloud: LocalCloud, payload: dict[str, Any]) -> None:
    answer = cloud.client("lambda").invoke(FunctionName=cloud.names["CatalogImport"], Payload=json.dumps(payload))
    assert "FunctionError" not in answer, answer["Payload"].read()


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    """The store's owner (named by the import document); the store sells one lantern."""
    token = log_in(local_cloud, "", "owner@review-forge.test")
    store = {"id": STORE, "name": "Review Forge", "currency": "EUR", "country": "DE"}
    categories = [{"slug": "goods", "name": "Goods"}]
    _import(
        local_cloud,
        {"step": "store", "store": store | {"owner_email": "owner@review-forge.test"}, "categories": categories},
    )
    product = {
        "slug": PRODUCT,
        "title": "Review Lantern",
        "category": "goods",
        "price": {"amount": 2500, "currency": "EUR"},
        "images": [],
        "variants": [{"id": "default", "sku": "RF-LANTERN", "stock_on_hand": 10}],
    }
    step = {"step": "product", "store_id": STORE, "currency": "EUR", "categories": ["goods"], "product": product}
    _import(local_cloud, step)
    return token


def _buy(cloud: LocalCloud, shopper: str) -> None:
    added = call(cloud, "POST", f"/stores/{STORE}/me/cart/items", shopper, {"product": PRODUCT, "quantity": 1})
    assert added.status == 200, added.body
    body = {
        "email": "rae@example.com",
        "shipping_address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": "cash_on_delivery",
    }
    headers = {
        "content-type": "application/json",
        "authorization": f"Bearer {shopper}",
        "idempotency-key": f"key-{uuid.uuid4().hex}",
    }
    started = http_request(f"{cloud.api_url}/stores/{STORE}/me/checkout", "POST", headers, json.dumps(body).encode())
    assert started.status == 202, started.body
    checkout = started.json()["id"]
    placed = cloud.eventually(
        lambda: call(cloud, "GET", f"/stores/{STORE}/checkouts/{checkout}").json(),
        lambda p: p["status"] in ("placed", "failed"),
        timeout=60,
    )
    assert placed["status"] == "placed", placed


def _reviews(cloud: LocalCloud) -> Response:
    return call(cloud, "GET", f"/stores/{STORE}/products/{PRODUCT}/reviews")


def test_a_buyer_reviews_the_owner_approves_and_the_storefront_shows_it(local_cloud: LocalCloud, owner: str) -> None:
    shopper = log_in(local_cloud, f"/stores/{STORE}", "rae@review-forge.test")
    review = {"rating": 5, "title": "Bright", "text": "Lights the whole workshop."}
    path = f"/stores/{STORE}/products/{PRODUCT}/reviews"
    refused = call(local_cloud, "POST", path, shopper, review)
    assert refused.status == 403, refused.body  # not bought yet

    _buy(local_cloud, shopper)
    posted = call(local_cloud, "POST", path, shopper, review)

    assert posted.status == 202, posted.body
    assert posted.json()["status"] == "pending"
    assert _reviews(local_cloud).json()["summary"]["count"] == 0
    queue = call(local_cloud, "GET", f"/admin/stores/{STORE}/reviews?status=pending", owner)
    assert [r["id"] for r in queue.json()["items"]] == [posted.json()["id"]], queue.body
    approved = call(local_cloud, "POST", f"/admin/stores/{STORE}/reviews/{posted.json()['id']}/approve", owner)
    assert approved.status == 200, approved.body
    shown = _reviews(local_cloud).json()
    assert shown["summary"] == {"count": 1, "sum": 5, "average": "5.0"}
    assert [(r["title"], r["text"]) for r in shown["items"]] == [("Bright", "Lights the whole workshop.")]
