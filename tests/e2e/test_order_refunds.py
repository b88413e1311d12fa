"""Orders' money end to end in the local cloud: a Stripe-paid order refunded by its store's owner (part, then
the rest) with the refunds made in localstripe, and a shopper cancelling a cash-on-delivery order, whose stock
goes back on sale.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from typing import Any

import pytest
import stripe

from localcloud.payments import config
from nozzly.kernel.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.operators import call, log_in
from tests.e2e.shop import ready_payouts

pytestmark = pytest.mark.e2e
STORE = "refund-forge"
OWNER_EMAIL = "owner@refund-forge.test"
ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}
FINAL = ("placed", "failed")


def _import(cloud: LocalCloud, payload: dict[str, Any]) -> Any:
    answer = cloud.client("lambda").invoke(FunctionName=cloud.names["CatalogImport"], Payload=json.dumps(payload))
    return json.loads(answer["Payload"].read())


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    """The store's owner's access token: the import names the owner's operator account by email."""
    token = log_in(local_cloud, "", OWNER_EMAIL)
    store = {"id": STORE, "name": "Refund Forge", "currency": "EUR", "country": "DE", "owner_email": OWNER_EMAIL}
    _import(local_cloud, {"step": "store", "store": store, "categories": [{"slug": "goods", "name": "Goods"}]})
    ready_payouts(local_cloud, STORE, token)  # its Stripe-paid order is paid out to its connected account
    return token


def put_product(cloud: LocalCloud, slug: str, stock: int) -> str:
    product = {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "category": "goods",
        "price": {"amount": 2500, "currency": "EUR"},
        "images": [],
        "variants": [{"id": "default", "sku": f"RF-{slug.upper()}", "stock_on_hand": stock}],
    }
    _import(
        cloud, {"step": "product", "store_id": STORE, "currency": "EUR", "categories": ["goods"], "product": product}
    )
    return slug


def variant(cloud: LocalCloud, slug: str) -> dict[str, Any]:
    item = cloud.client("dynamodb").get_item(
        TableName=cloud.names["CatalogTable"], Key={"pk": {"S": STORE}, "sk": {"S": f"PRODUCT#{slug}"}}
    )["Item"]
    found: dict[str, Any] = from_item(item)["variants"][0]
    return found


def guest_cart(cloud: LocalCloud, slug: str, quantity: int) -> str:
    """A live guest session (written as POST /sessions writes one) with the product in its cart."""
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
    added = call(cloud, "POST", f"/stores/{STORE}/carts/{session}/items", body={"product": slug, "quantity": quantity})
    assert added.status == 200, added.body
    return session


def check_out(cloud: LocalCloud, path: str, body: dict[str, Any], token: str | None = None) -> str:
    body = body | {"email": "sam@example.com", "shipping_address": ADDRESS, "shipping_method": "standard"}
    headers = {"content-type": "application/json", "idempotency-key": f"key-{uuid.uuid4().hex}"}
    headers |= {"authorization": f"Bearer {token}"} if token else {}
    started = http_request(f"{cloud.api_url}{path}", "POST", headers, json.dumps(body).encode())
    assert started.status == 202, started.body
    return str(started.json()["id"])


def settled(cloud: LocalCloud, checkout: str, states: tuple[str, ...] = FINAL) -> dict[str, Any]:
    def progress() -> dict[str, Any]:
        found: dict[str, Any] = call(cloud, "GET", f"/stores/{STORE}/checkouts/{checkout}").json()
        return found

    return cloud.eventually(progress, lambda p: p.get("status") in states, 60)


def _stripe() -> stripe.StripeClient:
    return stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": config.stripe_url()})


def refund(cloud: LocalCloud, token: str, order: str, key: str, amount: int | None = None) -> Response:
    body: dict[str, Any] = {"reason": "customer request"}
    body |= {"amount": {"amount": amount, "currency": "EUR"}} if amount else {}
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}", "idempotency-key": key}
    url = f"{cloud.api_url}/admin/stores/{STORE}/orders/{order}/refunds"
    return http_request(url, "POST", headers, json.dumps(body).encode())


def test_an_owner_refunds_a_stripe_paid_order_in_part_then_in_full(local_cloud: LocalCloud, owner: str) -> None:
    slug = put_product(local_cloud, "refund-kettle", 5)
    checkout = check_out(
        local_cloud,
        f"/stores/{STORE}/checkout",
        {"session_id": guest_cart(local_cloud, slug, 2), "payment_method": "stripe_payment_intent"},
    )
    waiting = settled(local_cloud, checkout, ("awaiting_payment", *FINAL))
    intent = waiting["payment"]["payment_id"]
    _stripe().v1.payment_intents.confirm(intent, params={"payment_method": "pm_card_visa"})
    assert settled(local_cloud, checkout)["status"] == "placed"
    order = call(local_cloud, "GET", f"/admin/stores/{STORE}/orders/{checkout}", owner).json()
    total = order["totals"]["total"]["amount"]
    assert (order["payment_state"], order["payment_id"], order["refundable"]["amount"]) == ("paid", intent, total)

    part = refund(local_cloud, owner, checkout, "refund-part-0001", 1500)
    rest = refund(local_cloud, owner, checkout, "refund-rest-0001")
    again = refund(local_cloud, owner, checkout, "refund-more-0001", 1)

    assert part.status == 201, part.body
    assert part.json()["order"]["payment_state"] == "partially_refunded"
    assert rest.status == 201, rest.body
    assert rest.json()["refund"]["amount"]["amount"] == total - 1500
    assert rest.json()["order"]["payment_state"] == "refunded"
    assert again.status == 409 and again.json()["error"]["fields"][0]["field"] == "amount"
    made = [_stripe().v1.refunds.retrieve(r.json()["refund"]["refund_id"]) for r in (part, rest)]
    assert [(r.payment_intent, r.amount, r.status) for r in made] == [
        (intent, 1500, "succeeded"),
        (intent, total - 1500, "succeeded"),
    ]
    listed = _stripe().v1.refunds.list(params={"payment_intent": intent})
    assert sum(r.amount for r in listed.data) == total  # nothing more left the store than was paid


def test_a_shopper_cancels_a_cash_on_delivery_order_and_its_stock_goes_back(
    local_cloud: LocalCloud, owner: str
) -> None:
    slug = put_product(local_cloud, "cancelled-lantern", 4)
    shopper = log_in(local_cloud, f"/stores/{STORE}", "sam@refund-forge.test")
    added = call(local_cloud, "POST", f"/stores/{STORE}/me/cart/items", shopper, {"product": slug, "quantity": 3})
    assert added.status == 200, added.body
    checkout = check_out(local_cloud, f"/stores/{STORE}/me/checkout", {"payment_method": "cash_on_delivery"}, shopper)
    assert settled(local_cloud, checkout)["status"] == "placed"
    assert variant(local_cloud, slug)["reserved"] == 3

    listed = local_cloud.eventually(
        lambda: call(local_cloud, "GET", f"/stores/{STORE}/me/orders", shopper).json()["items"],
        lambda items: any(o["id"] == checkout for o in items),
    )
    cancelled = call(local_cloud, "POST", f"/stores/{STORE}/me/orders/{checkout}/cancel", shopper)
    again = call(local_cloud, "POST", f"/stores/{STORE}/me/orders/{checkout}/cancel", shopper)

    assert [o["payment_state"] for o in listed if o["id"] == checkout] == ["awaiting_payment"]
    assert cancelled.status == 200, cancelled.body
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["refunds"] == []
    assert again.status == 409
    stock = variant(local_cloud, slug)
    assert (stock["stock_on_hand"], stock["reserved"]) == (4, 0)  # all 4 for sale again
    marked = call(local_cloud, "POST", f"/admin/stores/{STORE}/orders/{checkout}/mark-paid", owner)
    assert marked.status == 409  # a cancelled order is never collected
