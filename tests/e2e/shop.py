"""A store to sell from in the local cloud, for the e2e tests of orders: opened by the import workflow's
steps, stocked, and bought from by a guest through the real checkout saga."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from typing import Any

from localcloud.payments.onboarding import onboard_to_ready
from nozzly.kernel.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.operators import call, log_in

ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}
FINAL = ("placed", "failed")


def import_step(cloud: LocalCloud, payload: dict[str, Any]) -> Any:
    answer = cloud.client("lambda").invoke(FunctionName=cloud.names["CatalogImport"], Payload=json.dumps(payload))
    return json.loads(answer["Payload"].read())


def open_store(cloud: LocalCloud, store: str, name: str, owner_email: str, *, payouts: bool = True) -> str:
    """The store (EUR, Germany, one category "goods"), owned by a new operator account: its access token. With
    `payouts` its owner finishes Stripe onboarding at the local peer, so it takes card payments."""
    token = log_in(cloud, "", owner_email)
    profile = {"id": store, "name": name, "currency": "EUR", "country": "DE", "owner_email": owner_email}
    import_step(cloud, {"step": "store", "store": profile, "categories": [{"slug": "goods", "name": "Goods"}]})
    if payouts:
        ready_payouts(cloud, store, token)
    return token


def ready_payouts(cloud: LocalCloud, store: str, owner_token: str) -> str:
    """The store's Stripe connected account, onboarded to ready by its owner against the local Stripe peer."""
    return onboard_to_ready(cloud.api_url, owner_token, store)


def put_product(cloud: LocalCloud, store: str, slug: str, stock: int, *, price: int = 2500) -> str:
    """A published product with one variant, `default`, SKU from the slug."""
    product = {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "category": "goods",
        "price": {"amount": price, "currency": "EUR"},
        "images": [],
        "variants": [{"id": "default", "sku": slug.upper(), "stock_on_hand": stock}],
    }
    step = {"step": "product", "store_id": store, "currency": "EUR", "categories": ["goods"], "product": product}
    import_step(cloud, step)
    return slug


def variant(cloud: LocalCloud, store: str, slug: str) -> dict[str, Any]:
    item = cloud.client("dynamodb").get_item(
        TableName=cloud.names["CatalogTable"], Key={"pk": {"S": store}, "sk": {"S": f"PRODUCT#{slug}"}}
    )["Item"]
    found: dict[str, Any] = from_item(item)["variants"][0]
    return found


def guest_cart(cloud: LocalCloud, store: str, slug: str, quantity: int = 1) -> str:
    """A live guest session (written as POST /sessions writes one: that route is throttled per IP) with the
    product in its cart."""
    session, now = secrets.token_urlsafe(32), int(time.time())
    cloud.client("dynamodb").put_item(
        TableName=cloud.names["IdentityTable"],
        Item={
            "pk": {"S": f"GUEST#{store}#{session}"},
            "sk": {"S": "SESSION"},
            "store": {"S": store},
            "created_at": {"N": str(now)},
            "expires_at": {"N": str(now + 3600)},
        },
    )
    added = call(cloud, "POST", f"/stores/{store}/carts/{session}/items", body={"product": slug, "quantity": quantity})
    assert added.status == 200, added.body
    return session


def progress(cloud: LocalCloud, store: str, checkout: str) -> dict[str, Any]:
    found: dict[str, Any] = call(cloud, "GET", f"/stores/{store}/checkouts/{checkout}").json()
    return found


def check_out(
    cloud: LocalCloud,
    store: str,
    body: dict[str, Any],
    *,
    until: tuple[str, ...] = FINAL,
    token: str | None = None,
) -> dict[str, Any]:
    """A checkout started over HTTP (guest, or the shopper of `token`) and run by the real saga until its
    status is one of `until`: its progress then."""
    body = {"shipping_address": ADDRESS, "shipping_method": "standard"} | body
    headers = {"content-type": "application/json", "idempotency-key": f"key-{uuid.uuid4().hex}"}
    headers |= {"authorization": f"Bearer {token}"} if token else {}
    path = f"/stores/{store}/me/checkout" if token else f"/stores/{store}/checkout"
    started = http_request(f"{cloud.api_url}{path}", "POST", headers, json.dumps(body).encode())
    assert started.status == 202, started.body
    checkout = str(started.json()["id"])
    return settled(cloud, store, checkout, until)


def settled(cloud: LocalCloud, store: str, checkout: str, until: tuple[str, ...] = FINAL) -> dict[str, Any]:
    return cloud.eventually(lambda: progress(cloud, store, checkout), lambda p: p.get("status") in until, 60)


def placed_order(cloud: LocalCloud, store: str, slug: str, email: str, quantity: int = 1) -> str:
    """A guest's cash-on-delivery order of `quantity` of the product: its id."""
    body = {
        "session_id": guest_cart(cloud, store, slug, quantity),
        "email": email,
        "payment_method": "cash_on_delivery",
    }
    placed = check_out(cloud, store, body)
    assert placed["status"] == "placed", placed
    return str(placed["id"])


def operator(
    cloud: LocalCloud, token: str, method: str, path: str, body: Any = None, *, key: str | None = None
) -> Response:
    """An operator's request with an optional Idempotency-Key."""
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    headers |= {"idempotency-key": key} if key else {}
    data = None if body is None else json.dumps(body).encode()
    return http_request(f"{cloud.api_url}{path}", method, headers, data)


def outbox(cloud: LocalCloud, to: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = json.loads(cloud.api(f"/_local/outbox?to={to}").body)["messages"]
    return messages
