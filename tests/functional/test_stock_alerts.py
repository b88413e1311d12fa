"""Stock alerts from real product item images on the catalog stream: LowStock/BackInStock events, the
attention list, the team's low-stock email and one back-in-stock email per subscriber."""

from __future__ import annotations

import json
import traceback
from typing import Any

import pytest

from localcloud.intrinsics import Resolver
from localcloud.streams import Poller, mappings
from localcloud.template import LOCAL_PARAMETERS, transformed
from tests.functional.auth_helpers import api_event, outbox
from tests.functional.harness import STORE, Cloud

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
PRODUCT = "ember-longsword"


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What StockWatcher puts on the bus, as EventBridge hands it to StockEmails' rule. (moto's in-process
    EventBridge cannot deliver to a Lambda target; the local cloud's bridge does, see the e2e tests.)"""
    from nozzly.kernel.adapters.events import EventPublisher

    published: list[dict[str, Any]] = []

    def publish(self: EventPublisher, source: str, detail_type: str, detail: dict[str, Any]) -> None:
        published.append({"source": f"nozzly.{source}", "detail-type": detail_type, "detail": detail})

    monkeypatch.setattr(EventPublisher, "publish", publish)
    return published


def _received(bus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    taken = list(bus)
    bus.clear()
    round_trip: list[dict[str, Any]] = json.loads(json.dumps(taken))
    return round_trip


def _watch(cloud: Cloud) -> int:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    (mapping,) = [
        m for m in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))) if m.logical_id.startswith("StockWatcher")
    ]
    poller = Poller(mapping, cloud.client)

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        try:
            return cloud.invoke("StockWatcher", event), None
        except Exception:
            return {"errorType": "Unhandled", "stackTrace": traceback.format_exc()}, "Unhandled"

    return poller.drain(invoke)


def _set_stock(cloud: Cloud, on_hand: int, reserved: int = 0) -> None:
    """Rewrite the product item as a writer would: the stream carries its old and new images."""
    item = cloud.item("CatalogTable", STORE, f"PRODUCT#{PRODUCT}")
    assert item is not None
    for variant in item["variants"]["L"]:
        variant["M"]["stock_on_hand"] = {"N": str(on_hand)}
        variant["M"]["reserved"] = {"N": str(reserved)}
        variant["M"]["low_stock_threshold"] = {"N": "3"}
    cloud.client("dynamodb").put_item(TableName=cloud.catalog_table, Item=item)


def _attention(cloud: Cloud) -> list[dict[str, Any]]:
    return [i for i in cloud.all_items("StoresTable") if i["sk"]["S"].startswith("ATTENTION#")]


def _admin(cloud: Cloud, email: str) -> None:
    cloud.client("dynamodb").put_item(
        TableName=cloud.stores_table,
        Item={
            "pk": {"S": STORE}, "sk": {"S": "MEMBER#sub-admin"}, "sub": {"S": "sub-admin"}, "role": {"S": "admin"},
            "store_name": {"S": "Mystmere Forge"}, "email": {"S": email},
        },
    )  # fmt: skip


def subscribe(cloud: Cloud, email: str, variant: str = "standard") -> Any:
    event = api_event(
        "POST /stores/{store}/products/{product}/variants/{variant}/back-in-stock",
        path_parameters={"store": STORE, "product": PRODUCT, "variant": variant},
        body={"email": email},
    )
    return cloud.http("BackInStock", event)


def _variants(cloud: Cloud) -> list[str]:
    item = cloud.item("CatalogTable", STORE, f"PRODUCT#{PRODUCT}")
    assert item is not None
    return [v["M"]["id"]["S"] for v in item["variants"]["L"]]


def test_falling_to_the_threshold_alerts_once_and_emails_the_team(seeded: Cloud, bus: list[dict[str, Any]]) -> None:
    _admin(seeded, "ada@team.test")
    _set_stock(seeded, 10)
    _watch(seeded)
    _set_stock(seeded, 5, reserved=2)  # available 3: at the threshold
    _set_stock(seeded, 2)  # already low: no second alert
    _watch(seeded)

    events = _received(bus)
    low = [e for e in events if e["detail-type"] == "LowStock"]
    assert len(low) == len(_variants(seeded)) and {e["detail"]["available"] for e in low} == {3}
    assert len(_attention(seeded)) == len(low)

    for event in low + low:  # EventBridge delivers at least once
        seeded.invoke("StockEmails", event)
    sent = outbox("ada@team.test")
    assert len(sent) == len(low)
    assert sent[0].subject.startswith("Low stock at Mystmere Forge: Ember Longsword")


def test_a_subscriber_gets_one_email_when_the_variant_returns(seeded: Cloud, bus: list[dict[str, Any]]) -> None:
    variant = _variants(seeded)[0]
    assert subscribe(seeded, "sam@example.com", variant).status == 409  # in stock: buy it now
    _set_stock(seeded, 0)
    _watch(seeded)
    assert subscribe(seeded, "sam@example.com", variant).status == 200
    assert subscribe(seeded, "SAM@example.com", variant).status == 200  # idempotent per email
    assert subscribe(seeded, "sam@example.com", "no-such-variant").status == 404
    _received(bus)  # the LowStock events of the fall to 0

    _set_stock(seeded, 4)
    _watch(seeded)
    back = [e for e in _received(bus) if e["detail-type"] == "BackInStock"]
    assert {e["detail"]["variant"] for e in back} == set(_variants(seeded))
    for event in back + back:
        seeded.invoke("StockEmails", event)

    sent = outbox("sam@example.com")
    assert len(sent) == 1 and sent[0].subject == "Ember Longsword is back in stock at Mystmere Forge"
