"""The dashboard end to end in the local cloud: orders placed through the checkout workflow reach the daily
counters through the orders stream (the template's SalesAnalytics mapping, polled as on AWS), and the owner sees
them on the dashboard and in the reports, CSV included."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LocalCloud, eventually, http_request
from tests.e2e.operators import call
from tests.e2e.shop import open_store, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "tally-forge"
OWNER_EMAIL = "owner@tally-forge.test"


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    token = open_store(local_cloud, STORE, "Tally Forge", OWNER_EMAIL)
    put_product(local_cloud, STORE, "tally-lamp", 20, price=4200)
    return token


def dashboard(cloud: LocalCloud, token: str) -> dict[str, Any]:
    found = call(cloud, "GET", f"/admin/stores/{STORE}/dashboard", token)
    assert found.status == 200, found.body
    body: dict[str, Any] = found.json()
    return body


def test_placed_orders_show_on_the_dashboard_and_in_the_reports(local_cloud: LocalCloud, owner: str) -> None:
    placed_order(local_cloud, STORE, "tally-lamp", "ada@example.com")
    placed_order(local_cloud, STORE, "tally-lamp", "grace@example.com")

    seen = eventually(
        lambda: dashboard(local_cloud, owner),
        # the pipeline is read just before the days: wait until the second order is in both
        lambda d: d["revenue"]["today"]["current"]["orders"] == 2 and d["pipeline"]["pending"] == 2,
        timeout=30,
    )
    today = seen["revenue"]["today"]["current"]
    assert today["orders"] == 2 and today["units"] == 2
    assert today["gross_sales"]["amount"] > 2 * 4200  # shipping and tax on top of the lamps
    assert seen["pipeline"]["pending"] == 2, seen
    assert seen["customers"]["total"] == 2
    assert [(p["product"], p["units"]) for p in seen["top_sellers"]["by_units"]] == [("tally-lamp", 2)]

    csv = http_request(
        f"{local_cloud.api_url}/admin/stores/{STORE}/reports/products?range=7d",
        headers={"authorization": f"Bearer {owner}", "accept": "text/csv"},
    )
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv"), csv.body
    assert csv.body.decode().splitlines()[1].startswith("tally-lamp,")
