"""The store's order-number prefix (general settings) in how order numbers are shown: stored numbers stay ints."""

from __future__ import annotations

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from tests.functional.harness import STORE, Cloud
from tests.functional.settings_helpers import join, saved
from tests.functional.test_manual_orders import ADMIN, OWNER, PHONE_SALE, STAFF, create, read

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    from tests.functional.harness import seed_store

    seed_store(cloud)
    for sub, role in ((OWNER, "owner"), (ADMIN, "admin"), (STAFF, "staff")):
        join(cloud, sub, role, store=STORE, name="Mystmere Forge")
    return cloud


def test_orders_show_their_number_with_the_prefix_the_store_has_now(shop: Cloud) -> None:
    before = create(shop, PHONE_SALE, "prefix-key-0001")
    assert before.status == 201, before.body
    assert before.body["display_number"] == str(before.body["number"])

    general = {"version": 1, "display_name": "Mystmere Forge", "order_number_prefix": "mf-"}  # imported: v1
    saved(shop, "general", general, OWNER, store=STORE)
    after = create(shop, PHONE_SALE, "prefix-key-0002")
    first = read(shop, before.body["id"])

    assert after.status == 201, after.body
    assert after.body["display_number"] == f"MF-{after.body['number']}"
    assert first.body["display_number"] == f"MF-{before.body['number']}"  # shown with today's prefix
    stored = [from_item(i) for i in shop.all_items("OrdersTable") if i["sk"]["S"] == f"ORDER#{after.body['id']}"]
    assert stored[0]["number"] == after.body["number"] and isinstance(stored[0]["number"], int)
