"""The WebSocket API end to end in the local cloud, with a real WebSocket client: an operator hears of a new
order of their store within 2 s and an operator of another store hears nothing; no token, no connection; a
connection that is gone is pruned on the next post; the owner hears the dashboard's figures once an order is counted."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp
import pytest

from tests.e2e.conftest import LocalCloud, eventually
from tests.e2e.operators import call
from tests.e2e.shop import open_store, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE, OTHER = "lumen-live", "other-live"
T = TypeVar("T")


@pytest.fixture(scope="module")
def owners(local_cloud: LocalCloud) -> dict[str, str]:
    mine = open_store(local_cloud, STORE, "Lumen Live", "owner@lumen-live.test")
    theirs = open_store(local_cloud, OTHER, "Other Live", "owner@other-live.test")
    put_product(local_cloud, STORE, "live-lamp", 20, price=4200)
    return {STORE: mine, OTHER: theirs}


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs on a loop of its own: `asyncio.run` would leave the main thread without a current loop, and the
    in-process tests that share this worker (Mangum asks for the thread's loop) would then fail."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


async def _subscribed(session: aiohttp.ClientSession, url: str, token: str, room: str) -> Any:
    socket = await session.ws_connect(url, params={"token": token})
    await socket.send_json({"action": "subscribe", "room": room})
    assert await socket.receive_json(timeout=10) == {"type": "subscribed", "room": room}
    return socket


async def _next(socket: Any, timeout: float) -> dict[str, Any] | None:
    try:
        message: dict[str, Any] = await socket.receive_json(timeout=timeout)
    except TimeoutError:
        return None
    return message


def test_an_operator_hears_of_a_new_order_and_another_stores_operator_does_not(
    local_cloud: LocalCloud, owners: dict[str, str]
) -> None:
    async def scenario() -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            url = local_cloud.websocket_url
            mine = await _subscribed(session, url, owners[STORE], f"store:{STORE}:operators")
            theirs = await _subscribed(session, url, owners[OTHER], f"store:{OTHER}:operators")
            refused = await _next_after(theirs, {"action": "subscribe", "room": f"store:{STORE}:operators"})
            # The first order also pays the notifier's cold start (seconds on a busy laptop): the 2 s are a warm one's.
            await asyncio.to_thread(placed_order, local_cloud, STORE, "live-lamp", "warm@example.com")
            warm = await _next(mine, 30)
            assert warm is not None, "the first order never reached the operator"
            order_id = await asyncio.to_thread(placed_order, local_cloud, STORE, "live-lamp", "ada@example.com")
            heard = await _next(mine, 2)
            overheard = await _next(theirs, 1)
            assert heard is None or heard["data"]["order_id"] == order_id
            return heard, overheard, refused

    heard, overheard, refused = _run(scenario())
    assert heard is not None, "no OrderPlaced within 2 s"
    assert (heard["type"], heard["store"], heard["v"]) == ("OrderPlaced", STORE, 1)
    assert overheard is None
    assert refused["error"] == "forbidden"


async def _next_after(socket: Any, message: dict[str, Any]) -> dict[str, Any]:
    await socket.send_json(message)
    answer: dict[str, Any] = await socket.receive_json(timeout=10)
    return answer


async def _handshake(url: str, params: dict[str, str]) -> int:
    """The HTTP status the socket's handshake answered: 101 when the connection was accepted."""
    async with aiohttp.ClientSession() as session:
        try:
            socket = await session.ws_connect(url, params=params)
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status
        await socket.close()
        return 101


def test_a_connection_without_a_valid_token_is_refused_at_the_handshake(local_cloud: LocalCloud) -> None:
    assert _run(_handshake(local_cloud.websocket_url, {})) == 401
    assert _run(_handshake(local_cloud.websocket_url, {"token": "not-a-token"})) == 401


def test_a_gone_connection_is_pruned_on_the_next_post(local_cloud: LocalCloud, owners: dict[str, str]) -> None:
    table = local_cloud.names["ConnectionsTable"]
    dynamodb = local_cloud.client("dynamodb")
    ghost = {"pk": {"S": "CONN#ghost="}, "sk": {"S": f"ROOM#store:{STORE}:operators"}}
    dynamodb.put_item(TableName=table, Item=ghost | {"room": {"S": f"store:{STORE}:operators"}})

    placed_order(local_cloud, STORE, "live-lamp", "grace@example.com")

    def present() -> bool:
        return "Item" in dynamodb.get_item(TableName=table, Key=ghost, ConsistentRead=True)

    assert eventually(present, lambda found: not found, timeout=10) is False


def test_the_owner_hears_the_dashboards_figures_once_an_order_is_counted(
    local_cloud: LocalCloud, owners: dict[str, str]
) -> None:
    """SalesAnalytics (from the orders table's stream) -> DashboardCounters on the bus -> the owner's own room."""
    me = call(local_cloud, "GET", "/me", owners[STORE])
    assert me.status == 200, me.body

    async def scenario() -> dict[str, Any] | None:
        async with aiohttp.ClientSession() as session:
            room = f"operator:{STORE}:{me.json()['id']}"
            mine = await _subscribed(session, local_cloud.websocket_url, owners[STORE], room)
            await asyncio.to_thread(placed_order, local_cloud, STORE, "live-lamp", "figures@example.com")
            deadline = asyncio.get_running_loop().time() + 60  # the stream's poll and a cold SalesAnalytics
            while (left := deadline - asyncio.get_running_loop().time()) > 0:
                message = await _next(mine, left)
                if message is None or message["type"] == "DashboardCounters":
                    return message
            return None  # the room's other messages (notifications) only

    pushed = _run(scenario())
    assert pushed is not None, "no DashboardCounters within 60 s of the order"
    assert (pushed["store"], pushed["v"], pushed["data"]["currency"]) == (STORE, 1, "EUR")
    assert pushed["data"]["revenue"]["today"]["current"]["orders"] >= 1
    assert sum(pushed["data"]["pipeline"].values()) >= 1
