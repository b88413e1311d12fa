"""The operator's inbox, end to end in the local cloud: a guest's order placed over the API goes through the checkout
saga, its OrderPlaced reaches the bus, the bus's rule invokes NotificationFeed, and the store owner's inbox shows
the order (unread) within seconds; marking it read over the API clears the unread count."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LocalCloud
from tests.e2e.shop import open_store, operator, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "bell-forge"
OWNER_EMAIL = "owner@bell-forge.test"


def test_a_placed_order_reaches_the_owners_inbox_and_is_marked_read(local_cloud: LocalCloud) -> None:
    owner = open_store(local_cloud, STORE, "Bell Forge", OWNER_EMAIL, payouts=False)
    put_product(local_cloud, STORE, "bell-lamp", 5)
    order = placed_order(local_cloud, STORE, "bell-lamp", "buyer@bell-forge.test")
    inbox = f"/admin/stores/{STORE}/notifications"

    def page() -> dict[str, Any]:
        found: dict[str, Any] = operator(local_cloud, owner, "GET", inbox).json()
        return found

    shown = local_cloud.eventually(page, lambda p: any(i["kind"] == "order_placed" for i in p.get("items", [])), 30)
    (item,) = [i for i in shown["items"] if i["kind"] == "order_placed"]
    assert item["link"] == f"#/s/{STORE}/orders/{order}" and item["read_at"] is None
    assert shown["unread"] >= 1

    read = operator(local_cloud, owner, "POST", f"{inbox}/{item['id']}/read")
    assert read.status == 200 and read.json()["read_at"] is not None
    after = page()
    assert after["unread"] == shown["unread"] - 1
    assert not [
        i for i in operator(local_cloud, owner, "GET", f"{inbox}?unread=true").json()["items"] if i["id"] == item["id"]
    ]
