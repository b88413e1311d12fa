"""Fulfilment end to end in the local cloud: a cash-on-delivery order shipped in two parcels by the real "fulfil
order" state machine (stock committed once per parcel and entered in the stock ledger, the order shipped once
nothing is left) and a shipped email with its tracking link per parcel, through EventBridge and the outbox.
"""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.shop import open_store, operator, outbox, put_product, variant
from tests.e2e.shop import placed_order as shop_order

pytestmark = pytest.mark.e2e
STORE = "ship-forge"
OWNER_EMAIL = "owner@ship-forge.test"
SHOPPER_EMAIL = "sam@ship-forge.test"


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    token = open_store(local_cloud, STORE, "Ship Forge", OWNER_EMAIL)
    put_product(local_cloud, STORE, "ship-lantern", 10)
    return token


def stock(cloud: LocalCloud) -> tuple[int, int]:
    v = variant(cloud, STORE, "ship-lantern")
    return int(v["stock_on_hand"]), int(v.get("reserved", 0))


def stored_order(cloud: LocalCloud, order: str) -> dict[str, Any]:
    item = cloud.client("dynamodb").get_item(
        TableName=cloud.names["OrdersTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": f"ORDER#{order}"}},
        ConsistentRead=True,
    )["Item"]
    found: dict[str, Any] = from_item(item)
    return found


def placed_order(cloud: LocalCloud, quantity: int) -> str:
    return shop_order(cloud, STORE, "ship-lantern", SHOPPER_EMAIL, quantity)


def shipped_emails(cloud: LocalCloud) -> list[dict[str, Any]]:
    return [m for m in outbox(cloud, SHOPPER_EMAIL) if "is on its way" in m["subject"]]


def test_an_order_ships_in_two_parcels_through_the_workflow_with_an_email_each(
    local_cloud: LocalCloud, owner: str
) -> None:
    order = placed_order(local_cloud, 3)
    assert stock(local_cloud) == (10, 3)
    orders = f"/admin/stores/{STORE}/orders/{order}"

    first = operator(
        local_cloud,
        owner,
        "POST",
        f"{orders}/fulfilments",
        {
            "lines": [{"product": "ship-lantern", "variant": "default", "quantity": 1}],
            "carrier": "dhl",
            "tracking_number": "JD0146",
        },
        key="parcel-one-0001",
    )
    assert first.status == 202, first.body
    one = local_cloud.eventually(lambda: stored_order(local_cloud, order), lambda o: len(o["fulfilments"]) == 1, 30)
    assert one["status"] == "processing" and stock(local_cloud) == (9, 2)
    parcel = first.json()["fulfilment"]["id"]
    looked = http_request(
        f"{local_cloud.api_url}{orders}/fulfilments/{parcel}", "GET", {"authorization": f"Bearer {owner}"}
    )
    assert looked.status == 200 and looked.json()["state"] == "recorded", looked.body

    rest = operator(
        local_cloud,
        owner,
        "POST",
        f"{orders}/status",
        {"status": "shipped"},
    )
    assert rest.status == 202, rest.body
    shipped = local_cloud.eventually(lambda: stored_order(local_cloud, order), lambda o: o["status"] == "shipped", 30)

    assert [sum(x["quantity"] for x in f["lines"]) for f in shipped["fulfilments"]] == [1, 2]
    assert stock(local_cloud) == (7, 0)
    ledger = http_request(
        f"{local_cloud.api_url}/admin/stores/{STORE}/products/ship-lantern/variants/default/stock-adjustments",
        "GET",
        {"authorization": f"Bearer {owner}"},
    )
    assert ledger.status == 200, ledger.body
    entries = [
        (e["delta"], e["reason"], e["on_hand_after"], e["shipment"]["fulfilment"]) for e in ledger.json()["items"]
    ]
    assert entries == [(-2, "fulfilment", 7, shipped["fulfilments"][1]["id"]), (-1, "fulfilment", 9, parcel)]
    emails = local_cloud.eventually(lambda: shipped_emails(local_cloud), lambda found: len(found) == 2, 30)
    bodies = " ".join(m["body"] for m in emails)
    assert "tracking-id=JD0146" in bodies  # the second parcel has no tracking: its email says so, without a link
    sfn = local_cloud.client("stepfunctions")
    arn = local_cloud.names["FulfilmentStateMachine"]
    arn = (
        arn
        if arn.startswith("arn:")
        else next(m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"] if m["name"] == arn)
    )
    statuses = [e["status"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]]
    assert statuses.count("SUCCEEDED") >= 2 and "FAILED" not in statuses
    delivered = operator(local_cloud, owner, "POST", f"{orders}/status", {"status": "delivered"})
    assert delivered.status == 200 and delivered.json()["status"] == "delivered"
