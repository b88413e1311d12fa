"""The operators' order list end to end in the local cloud: an order placed through the checkout workflow is
in its store's list on the very next request, with its timeline, and filters find it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call
from tests.e2e.shop import open_store, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "ledger-forge"
OWNER_EMAIL = "owner@ledger-forge.test"


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    token = open_store(local_cloud, STORE, "Ledger Forge", OWNER_EMAIL)
    put_product(local_cloud, STORE, "ledger-lamp", 20, price=4200)
    return token


def placed(cloud: LocalCloud, email: str) -> str:
    return placed_order(cloud, STORE, "ledger-lamp", email)


def test_a_placed_order_is_in_the_list_on_the_next_request_with_its_timeline(
    local_cloud: LocalCloud, owner: str
) -> None:
    first = placed(local_cloud, "ada@example.com")
    second = placed(local_cloud, "Grace@Example.com")

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
