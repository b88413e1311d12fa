"""The attention list clears itself: a variant falling to its threshold opens one item (and counts it), a replayed
stream record changes nothing, a restock above the threshold closes it quietly. Operators list, acknowledge and
resolve items through StoreAttention; the dashboard's read is two DynamoDB calls."""

from __future__ import annotations

import traceback
from typing import Any

import pytest

from localcloud.intrinsics import Resolver
from localcloud.streams import Poller, mappings
from localcloud.template import LOCAL_PARAMETERS, transformed
from nozzly.stores.domain.permissions import MINIMUM_ROLE, Action, Role
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.store_helpers import claims
from tests.functional.test_order_refunds import OWNER, STAFF, STRANGER
from tests.functional.test_order_refunds import shop as shop  # noqa: PLC0414  # the fixture, reused
from tests.functional.test_stock_alerts import bus as bus  # noqa: PLC0414  # the fixture, reused

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
PRODUCT = "ember-longsword"


def _watch(cloud: Cloud) -> list[dict[str, Any]]:
    """Feeds StockWatcher what the catalog stream holds; returns the events it was handed (to replay them)."""
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    (mapping,) = [
        m for m in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))) if m.logical_id.startswith("StockWatcher")
    ]
    handed: list[dict[str, Any]] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        handed.append(event)
        try:
            return cloud.invoke("StockWatcher", event), None
        except Exception:
            return {"errorType": "Unhandled", "stackTrace": traceback.format_exc()}, "Unhandled"

    Poller(mapping, cloud.client).drain(invoke)
    return handed


def _set_stock(cloud: Cloud, on_hand: int, variant: int = 0) -> str:
    """Rewrites one variant's stock as a writer would (the stream carries old and new images); its id."""
    item = cloud.item("CatalogTable", STORE, f"PRODUCT#{PRODUCT}")
    assert item is not None
    chosen = item["variants"]["L"][variant]["M"]
    chosen["stock_on_hand"] = {"N": str(on_hand)}
    chosen["reserved"] = {"N": "0"}
    chosen["low_stock_threshold"] = {"N": "3"}
    cloud.client("dynamodb").put_item(TableName=cloud.catalog_table, Item=item)
    return str(chosen["id"]["S"])


def _open_items(cloud: Cloud) -> list[str]:
    return [i["sk"]["S"] for i in cloud.all_items("StoresTable") if i["sk"]["S"].startswith("ATTENTION#")]


def _count(cloud: Cloud) -> int:
    counts = cloud.item("StoresTable", STORE, "ATTENTION_COUNTS") or {}
    return int(counts.get("low_stock", {}).get("N", "0"))


def call(cloud: Cloud, route: str, item: str | None = None, sub: str = OWNER, query: str = "") -> HttpResponse:
    params = {"store": STORE} | ({"item": item} if item is not None else {})
    event = api_event(route, path_parameters=params, claims=claims(sub))
    if query:
        event["rawQueryString"] = query
        event["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&"))
    return cloud.http("StoreAttention", event)


LIST = "GET /admin/stores/{store}/attention"
ACK = "POST /admin/stores/{store}/attention/{item}/acknowledge"
RESOLVE = "DELETE /admin/stores/{store}/attention/{item}"


@pytest.fixture
def low(shop: Cloud, bus: list[dict[str, Any]]) -> str:
    """The first variant fallen to its threshold and watched: its attention item's id."""
    _set_stock(shop, 10)
    _watch(shop)
    variant = _set_stock(shop, 3)
    _watch(shop)
    return f"low_stock:{PRODUCT}:{variant}"


def test_a_variant_going_low_opens_one_item_a_replay_counts_once_a_restock_closes_it(
    shop: Cloud, bus: list[dict[str, Any]]
) -> None:
    _set_stock(shop, 10)
    _watch(shop)
    variant = _set_stock(shop, 2)
    handed = _watch(shop)

    assert _open_items(shop) == [f"ATTENTION#low_stock#{PRODUCT}#{variant}"] and _count(shop) == 1
    for event in handed:  # the stream delivers the same record again
        shop.invoke("StockWatcher", event)
    assert len(_open_items(shop)) == 1 and _count(shop) == 1

    _set_stock(shop, 3)  # lower still: no new item
    _watch(shop)
    assert len(_open_items(shop)) == 1 and _count(shop) == 1

    bus.clear()
    _set_stock(shop, 8)  # restocked above the threshold
    recovered = _watch(shop)
    assert _open_items(shop) == [] and _count(shop) == 0
    # recovering is not announced (no event, so no email); the poller may hand older records again
    assert {e["detail-type"] for e in bus} <= {"LowStock"}
    for event in recovered:
        shop.invoke("StockWatcher", event)
    assert _count(shop) == 0


def test_the_dashboard_read_is_the_counter_and_one_query_and_skips_old_items(shop: Cloud, low: str) -> None:
    from nozzly.kernel.adapters import aws
    from nozzly.stores.adapters.attention import AttentionList

    shop.client("dynamodb").put_item(  # the old key format, written before items were one per variant
        TableName=shop.stores_table,
        Item={"pk": {"S": STORE}, "sk": {"S": f"ATTENTION#1764800000#{PRODUCT}#old"}, "kind": {"S": "low_stock"}},
    )
    shop.apply_environment(shop.environments["StoreAttention"])
    calls: list[str] = []
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))

    counts, items = AttentionList(shop.stores_table).open(STORE, limit=5)

    assert sorted(calls) == ["GetItem", "Query"]
    assert counts == {"low_stock": 1}
    assert [i.key.item_id for i in items] == [low]


def test_operators_list_acknowledge_and_resolve(shop: Cloud, low: str) -> None:
    listed = call(shop, LIST, sub=STAFF)
    assert listed.status == 200, listed.body
    assert listed.body["counts"] == {"low_stock": 1} and listed.body["next_cursor"] is None
    (item,) = listed.body["items"]
    assert (item["id"], item["kind"], item["available"], item["threshold"]) == (low, "low_stock", 3, 3)
    assert item["ref"] == f"/admin/stores/{STORE}/products/{PRODUCT}" and item["acknowledged_by"] is None

    acknowledged = call(shop, ACK, low, sub=STAFF)
    assert acknowledged.status == 200, acknowledged.body
    assert acknowledged.body["acknowledged_by"] == STAFF and acknowledged.body["acknowledged_at"]
    still = call(shop, LIST).body
    assert still["counts"] == {"low_stock": 1} and still["items"][0]["acknowledged_by"] == STAFF

    resolved = call(shop, RESOLVE, low)
    assert resolved.status == 204
    assert call(shop, LIST).body == {"counts": {}, "items": [], "next_cursor": None}
    assert _count(shop) == 0
    again = call(shop, RESOLVE, low)
    assert again.status == 404 and again.body["error"]["fields"][0]["field"] == "item"
    assert _count(shop) == 0  # a second resolve counts nothing
    assert call(shop, ACK, low).status == 404


def test_unknown_items_are_404_and_other_callers_are_refused(shop: Cloud, low: str) -> None:
    for item in ("low_stock:no-such-product:standard", "not-an-item", f"review:{PRODUCT}:x"):
        assert call(shop, ACK, item).status == 404
        assert call(shop, RESOLVE, item).status == 404

    for route, named in ((LIST, None), (ACK, low), (RESOLVE, low)):
        stranger = call(shop, route, named, sub=STRANGER)  # another store's operator learns nothing of this one
        assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store"
    assert _count(shop) == 1 and call(shop, LIST).body["items"][0]["acknowledged_by"] is None


@pytest.mark.parametrize(
    ("action", "route"), [(Action.ORDERS_READ, LIST), (Action.ORDERS_MANAGE, ACK), (Action.ORDERS_MANAGE, RESOLVE)]
)
def test_each_route_asks_for_its_permission(
    shop: Cloud, low: str, monkeypatch: pytest.MonkeyPatch, action: Action, route: str
) -> None:
    """Every role may read and manage orders today, so a role without the permission is made by raising it."""
    monkeypatch.setitem(MINIMUM_ROLE, action, Role.ADMIN)
    refused = call(shop, route, None if route == LIST else low, sub=STAFF)
    assert refused.status == 403, refused.body
    assert _count(shop) == 1 and call(shop, LIST).body["items"][0]["acknowledged_by"] is None


def test_the_list_pages_with_a_cursor_of_its_own_store(shop: Cloud, bus: list[dict[str, Any]]) -> None:
    for variant in (0, 1):
        _set_stock(shop, 10, variant)
    _watch(shop)
    opened = sorted(f"low_stock:{PRODUCT}:{_set_stock(shop, 1, v)}" for v in (0, 1))
    _watch(shop)

    first = call(shop, LIST, query="limit=1")
    second = call(shop, LIST, query=f"limit=1&cursor={first.body['next_cursor']}")

    assert first.body["counts"] == {"low_stock": 2}
    assert [i["id"] for i in first.body["items"] + second.body["items"]] == opened
    assert call(shop, LIST, query="cursor=bm90LWEtY3Vyc29y").status == 400


def test_the_dashboard_shows_the_low_stock_items_and_the_recent_activity(shop: Cloud, low: str) -> None:
    from tests.functional.analytics_helpers import dashboard_calls
    from tests.functional.test_store_activity import bus_event

    shop.invoke("StoreActivity", bus_event(1, "OrderRefunded", amount=500, currency="EUR"))
    shop.invoke("StoreActivity", bus_event(2, "OrderDelivered"))

    calls, body, _ = dashboard_calls(shop, OWNER)

    stock = {a["kind"]: a for a in body["attention"]}["low_stock"]
    assert (stock["count"], stock["more"], stock["link"]) == (1, False, f"/admin/stores/{STORE}/attention")
    assert [i["ref"] for i in stock["items"]] == [PRODUCT]
    assert [a["text"] for a in body["recent_activity"]] == ["Order #1002 delivered", "Order #1001 refunded — €5.00"]
    assert calls <= 10  # as without them (test_sales_dashboard.py)
