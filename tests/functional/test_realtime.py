"""The WebSocket functions under moto: the authorizer with real Cognito tokens, subscribe-time authorization
against real memberships, and the notifier's fan-out through a recording @connections client."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from nozzly.realtime.adapters.management_api import ManagementApi
from tests.functional.auth_helpers import AuthApi
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.order_helpers import place_order
from tests.functional.store_helpers import ALICE, BOB, open_store
from tests.functional.test_carts import shopper_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


class Gone(Exception):
    pass


@dataclass
class Connections:
    """A recording @connections client: what each connection was sent; `dead` ones answer GoneException."""

    dead: set[str] = field(default_factory=set)
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    class exceptions:
        GoneException = Gone

    def post_to_connection(self, ConnectionId: str, Data: bytes) -> None:
        if ConnectionId in self.dead:
            raise Gone(ConnectionId)
        self.sent.setdefault(ConnectionId, []).append(json.loads(Data))


@pytest.fixture
def wire(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> Connections:
    from nozzly.wiring import realtime

    fake = Connections()
    monkeypatch.setattr(realtime, "management_api", lambda: ManagementApi("http://unused", client=fake))
    return fake


def socket(cloud: Cloud, route: str, connection: str, body: Any = None, granted: dict[str, str] | None = None) -> Any:
    event_type = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE")
    context: dict[str, Any] = {
        "routeKey": route,
        "eventType": event_type,
        "connectionId": connection,
        "domainName": "local",
        "stage": "live",
        "requestId": f"req-{connection}",
        "connectedAt": 1,
    }
    if granted is not None:
        context["authorizer"] = granted
    event: dict[str, Any] = {"requestContext": context, "isBase64Encoded": False}
    if body is not None:
        event["body"] = json.dumps(body)
    answer = cloud.invoke("RealtimeSocket", event)
    return json.loads(answer["body"]) if "body" in answer else answer


def operator(cloud: Cloud, connection: str, sub: str) -> None:
    socket(cloud, "$connect", connection, granted={"identity": "operator", "sub": sub})


def subscribe(cloud: Cloud, connection: str, room: str) -> dict[str, Any]:
    answer: dict[str, Any] = socket(cloud, "subscribe", connection, {"action": "subscribe", "room": room})
    return answer


def placed(cloud: Cloud, store: str, order_id: str = "ord-1") -> Any:
    detail = {"store_id": store, "order_id": order_id, "order_number": 1001, "channel": "web"}
    event = {
        "detail-type": "OrderPlaced",
        "source": "nozzly.checkout",
        "time": "2026-12-04T12:00:00Z",
        "detail": detail,
    }
    return cloud.invoke("RealtimeNotifier", event)


def test_an_operator_joins_only_their_own_stores_rooms(cloud: Cloud, wire: Connections) -> None:
    mine, theirs = open_store(cloud, ALICE), open_store(cloud, BOB, name="Other Shop")
    operator(cloud, "c-alice", ALICE)
    assert subscribe(cloud, "c-alice", f"store:{mine}:operators") == {
        "type": "subscribed",
        "room": f"store:{mine}:operators",
    }
    refused = subscribe(cloud, "c-alice", f"store:{theirs}:operators")
    assert refused["type"] == "error"
    assert refused["error"] == "forbidden"
    assert subscribe(cloud, "c-alice", "store:NOPE")["error"] == "invalid_input"


def test_an_event_reaches_its_stores_operators_only_and_a_gone_connection_is_pruned(
    cloud: Cloud, wire: Connections
) -> None:
    mine, theirs = open_store(cloud, ALICE), open_store(cloud, BOB, name="Other Shop")
    for connection, sub, store in (("c-alice", ALICE, mine), ("c-dead", ALICE, mine), ("c-bob", BOB, theirs)):
        operator(cloud, connection, sub)
        assert subscribe(cloud, connection, f"store:{store}:operators")["type"] == "subscribed"
    wire.dead.add("c-dead")

    assert placed(cloud, mine) == {"rooms": 2, "delivered": 1, "pruned": 1, "failed": 0}
    [message] = wire.sent["c-alice"]
    assert message["type"] == "OrderPlaced"
    assert message["store"] == mine
    assert message["data"]["order_id"] == "ord-1"
    assert "c-bob" not in wire.sent
    # Pruned: the next event posts to the live connection only.
    assert placed(cloud, mine, "ord-2") == {"rooms": 2, "delivered": 1, "pruned": 0, "failed": 0}


def test_a_disconnect_leaves_every_room(cloud: Cloud, wire: Connections) -> None:
    mine = open_store(cloud, ALICE)
    operator(cloud, "c-alice", ALICE)
    subscribe(cloud, "c-alice", f"store:{mine}:operators")
    socket(cloud, "$disconnect", "c-alice")
    assert placed(cloud, mine)["delivered"] == 0
    assert subscribe(cloud, "c-alice", f"store:{mine}:operators")["error"] == "unknown_connection"


def test_an_owner_broadcasts_to_shoppers_once_a_minute_and_others_cannot(cloud: Cloud, wire: Connections) -> None:
    mine = open_store(cloud, ALICE)
    socket(cloud, "$connect", "c-shopper", granted={"identity": "shopper", "sub": "cust-1", "store_id": mine})
    assert subscribe(cloud, "c-shopper", f"store:{mine}:shoppers")["type"] == "subscribed"
    assert subscribe(cloud, "c-shopper", f"store:{mine}:operators")["error"] == "forbidden"
    assert subscribe(cloud, "c-shopper", f"shopper:{mine}:cust-2")["error"] == "forbidden"
    operator(cloud, "c-alice", ALICE)
    operator(cloud, "c-bob", BOB)

    def broadcast(connection: str) -> dict[str, Any]:
        answer: dict[str, Any] = socket(
            cloud, "broadcast", connection, {"action": "broadcast", "store": mine, "text": "Sale!"}
        )
        return answer

    assert broadcast("c-bob")["error"] == "not_found"
    assert broadcast("c-shopper")["error"] == "forbidden"
    assert broadcast("c-alice") == {"type": "broadcast_sent", "store": mine}
    assert broadcast("c-alice")["error"] == "rate_limited"
    assert [m["data"] for m in wire.sent["c-shopper"]] == [{"text": "Sale!"}]


def test_the_authorizer_admits_a_shoppers_cognito_token_and_refuses_none_or_a_forged_one(cloud: Cloud) -> None:
    seed_store(cloud)  # shoppers sign up with a live store
    store = STORE
    tokens = AuthApi(cloud, store).registered("sam@example.com", "walnut-42")
    event = {"type": "REQUEST", "methodArn": "arn:aws:execute-api:eu-west-1:1:api/live/$connect", "headers": {}}
    granted = cloud.invoke("RealtimeAuthorizer", event | {"queryStringParameters": {"token": tokens["access_token"]}})
    assert granted["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert granted["context"]["identity"] == "shopper"
    assert granted["context"]["store_id"] == store
    by_protocol = event | {"headers": {"Sec-WebSocket-Protocol": f"bearer, {tokens['access_token']}"}}
    assert cloud.invoke("RealtimeAuthorizer", by_protocol)["context"]["identity"] == "shopper"
    head, payload, _ = tokens["access_token"].split(".")
    for refused in ({}, {"token": "nope"}, {"token": f"{head}.{payload}.forged"}):
        with pytest.raises(Exception, match=r"^Unauthorized$"):
            cloud.invoke("RealtimeAuthorizer", event | {"queryStringParameters": refused})


def test_a_shopper_hears_their_order_ship_in_their_rooms_and_another_shopper_cannot_join_it(
    cloud: Cloud, wire: Connections
) -> None:
    seed_store(cloud)
    cart = shopper_cart(cloud, "sam@example.com")
    order_id = place_order(cart)
    sam = cart.claims["sub"] if cart.claims else ""
    other = shopper_cart(cloud, "eve@example.com").claims or {}
    socket(cloud, "$connect", "c-sam", granted={"identity": "shopper", "sub": sam, "store_id": STORE})
    socket(cloud, "$connect", "c-eve", granted={"identity": "shopper", "sub": other["sub"], "store_id": STORE})
    assert subscribe(cloud, "c-sam", f"order:{STORE}:{order_id}")["type"] == "subscribed"
    assert subscribe(cloud, "c-sam", f"shopper:{STORE}:{sam}")["type"] == "subscribed"
    assert subscribe(cloud, "c-eve", f"order:{STORE}:{order_id}")["error"] == "forbidden"

    detail = {"store_id": STORE, "order_id": order_id, "order_number": 1001, "from": "processing", "to": "shipped"}
    moved = {"detail-type": "OrderStatusChanged", "source": "nozzly.orders", "time": "2026-12-04T12:00:00Z"}
    assert cloud.invoke("RealtimeNotifier", moved | {"detail": detail | {"by": "operator:x"}})["delivered"] == 2

    assert [(m["type"], m["data"]["to"]) for m in wire.sent["c-sam"]] == [("OrderStatusChanged", "shipped")] * 2
    assert all("by" not in m["data"] for m in wire.sent["c-sam"])
    assert "c-eve" not in wire.sent
