"""A manual order end to end in the local cloud: an operator's POST over HTTP holds the stock, the order is read
back through OrderPayments, and OrderEvents announces it (OrderPlaced) to OrderEmails, whose confirmation is in
the outbox."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LocalCloud, Response
from tests.e2e.operators import call
from tests.e2e.shop import open_store, operator, outbox, put_product, variant

pytestmark = pytest.mark.e2e
STORE = "counter-forge"
OWNER_EMAIL = "counter-owner@manual.test"
BUYER = "walk-in@manual.test"
SALE = {
    "channel": "pos",
    "email": BUYER,
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


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    """The access token of the store's owner; the store sells 5 lanterns."""
    token = open_store(local_cloud, STORE, "Counter Forge", OWNER_EMAIL)
    put_product(local_cloud, STORE, "counter-lantern", 5)
    return token


def enter(cloud: LocalCloud, token: str, body: dict[str, Any], key: str) -> Response:
    return operator(cloud, token, "POST", f"/admin/stores/{STORE}/orders", body, key=key)


def reserved(cloud: LocalCloud) -> int:
    return int(variant(cloud, STORE, "counter-lantern")["reserved"])


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
        subject = f"Your Counter Forge order #{order['number']}"
        return [m for m in outbox(local_cloud, BUYER) if m["subject"] == subject]

    sent = local_cloud.eventually(confirmations, bool, timeout=20)
    assert len(sent) == 1 and "Paid" in sent[0]["body"]  # the retry wrote nothing, so nothing more is announced
