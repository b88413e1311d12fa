"""The shop's side of the WebSocket API end to end, with a real WebSocket client against the local cloud: a shopper
hears their cart change and their order move to shipped, a shopper of another store hears nothing and may not join;
a guest follows their order with its tracking token, and a wrong token or another order's is refused at the
handshake; and in a real browser, a guest's order page turns to "Shipped" without a reload when the operator ships."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Coroutine
from typing import Any

import aiohttp
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from localcloud.edge import LOCAL_ORDER_TRACKING_KEY
from nozzly.realtime.services.live_passes import LivePasses
from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.operators import call, log_in
from tests.e2e.shop import check_out, open_store, placed_order, progress, put_product
from tests.e2e.test_realtime import _handshake, _next, _next_after, _run, _subscribed

pytestmark = pytest.mark.e2e
STORE, OTHER = "lumen-follow", "other-follow"
LAMP = "follow-lamp"


@pytest.fixture(scope="module")
def owner(local_cloud: LocalCloud) -> str:
    open_store(local_cloud, OTHER, "Other Follow", "owner@other-follow.test", payouts=False)
    token = open_store(local_cloud, STORE, "Lumen Follow", "owner@lumen-follow.test", payouts=False)
    put_product(local_cloud, STORE, LAMP, 50, price=4200)
    return token


def sub_of(token: str) -> str:
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def live_pass(sub: str) -> str:
    minted = LivePasses(lambda: LOCAL_ORDER_TRACKING_KEY).mint(STORE, sub)
    assert minted is not None
    return minted


def ship(cloud: LocalCloud, owner: str, order_id: str, quantity: int = 1) -> None:
    """The whole order in one parcel, through the fulfilment workflow (the order becomes shipped)."""
    lines = [{"product": LAMP, "variant": "default", "quantity": quantity}]
    url = f"{cloud.api_url}/admin/stores/{STORE}/orders/{order_id}/fulfilments"
    headers = {"content-type": "application/json", "authorization": f"Bearer {owner}"}
    body = json.dumps({"lines": lines, "carrier": "dhl"}).encode()
    # The first fulfilment pays OrderFulfilment's cold start, seconds more on a busy machine than the default wait.
    sent = http_request(url, "POST", headers | {"idempotency-key": f"ship-{order_id[:20]}"}, body, timeout=90)
    assert sent.status == 202, sent.body


async def _until(socket: Any, kind: str, timeout: float, to: str | None = None) -> dict[str, Any] | None:
    """The next message of `kind` (a status change: to `to`), skipping others (the order's earlier events), within
    `timeout` seconds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while (left := end - loop.time()) > 0:
        message = await _next(socket, left)
        if message is None:
            return None
        if message.get("type") == kind and (to is None or message["data"].get("to") == to):
            return message
    return None


def test_a_shopper_hears_their_cart_change_and_their_order_ship_and_another_stores_shopper_nothing(
    local_cloud: LocalCloud, owner: str
) -> None:
    shopper = log_in(local_cloud, f"/stores/{STORE}", "ada@lumen-follow.test")
    stranger = log_in(local_cloud, f"/stores/{OTHER}", "eve@other-follow.test")
    mine = f"shopper:{STORE}:{sub_of(shopper)}"

    async def scenario() -> dict[str, Any]:
        async with aiohttp.ClientSession() as session:
            url = local_cloud.websocket_url
            ada = await _subscribed(session, url, shopper, mine)
            # A shop page's socket: the live pass its cookie holds (minted here under the local cloud's key).
            pages = await session.ws_connect(url, params={"room": mine, "token": live_pass(sub_of(shopper))})
            await pages.send_json({"action": "subscribe", "room": mine})
            assert await pages.receive_json(timeout=10) == {"type": "subscribed", "room": mine}
            eve = await _subscribed(session, url, stranger, f"shopper:{OTHER}:{sub_of(stranger)}")
            refused = await _next_after(eve, {"action": "subscribe", "room": mine})

            body = {"product": LAMP, "quantity": 2}
            added = await asyncio.to_thread(call, local_cloud, "POST", f"/stores/{STORE}/me/cart/items", shopper, body)
            assert added.status == 200, added.body
            changed = await _until(ada, "CartChanged", 30)  # the first also pays the notifier's cold start
            on_page = await _until(pages, "CartChanged", 10)

            pay = {"payment_method": "cash_on_delivery", "email": "ada@lumen-follow.test"}
            placed = await asyncio.to_thread(check_out, local_cloud, STORE, pay, token=shopper)
            assert placed["status"] == "placed", placed
            await asyncio.to_thread(ship, local_cloud, owner, placed["id"], 2)
            shipped = await _until(ada, "OrderStatusChanged", 60, "shipped")
            overheard = await _next(eve, 1)
            heard = {"refused": refused, "changed": changed, "on_page": on_page, "shipped": shipped}
            return heard | {"overheard": overheard}

    heard = _run(scenario())
    assert heard["refused"]["error"] == "forbidden"
    assert heard["changed"] is not None, "no CartChanged reached the shopper's room"
    assert heard["changed"]["data"] == {"version": heard["changed"]["data"]["version"], "lines": 1, "quantity": 2}
    assert heard["on_page"] == heard["changed"]
    assert heard["shipped"] is not None, "the shopper never heard the order ship"
    assert (heard["shipped"]["store"], heard["shipped"]["data"]["to"]) == (STORE, "shipped")
    assert heard["overheard"] is None


def test_a_guest_follows_their_order_by_its_tracking_token_and_wrong_tokens_are_refused(
    local_cloud: LocalCloud, owner: str
) -> None:
    order_id = placed_order(local_cloud, STORE, LAMP, "guest@example.com")
    other_id = placed_order(local_cloud, STORE, LAMP, "someone@example.com")
    token = progress(local_cloud, STORE, order_id)["tracking_token"]
    others = progress(local_cloud, STORE, other_id)["tracking_token"]
    assert token and others and token != others
    room = f"order:{STORE}:{order_id}"

    def handshake(params: dict[str, str]) -> Coroutine[Any, Any, int]:
        return _handshake(local_cloud.websocket_url, params)

    async def scenario() -> tuple[dict[str, Any], dict[str, Any] | None]:
        async with aiohttp.ClientSession() as session:
            socket = await session.ws_connect(local_cloud.websocket_url, params={"room": room, "token": token})
            await socket.send_json({"action": "subscribe", "room": room})
            assert await socket.receive_json(timeout=10) == {"type": "subscribed", "room": room}
            sideways = await _next_after(socket, {"action": "subscribe", "room": f"order:{STORE}:{other_id}"})
            await asyncio.to_thread(ship, local_cloud, owner, order_id)
            return sideways, await _until(socket, "OrderStatusChanged", 60, "shipped")

    assert _run(handshake({"room": room, "token": others})) == 401  # another order's token
    assert _run(handshake({"room": room, "token": "A" * 43})) == 401  # a guessed one
    assert _run(handshake({"room": f"shopper:{STORE}:x", "token": token})) == 401  # not an order's room
    sideways, shipped = _run(scenario())
    assert sideways["error"] == "forbidden"
    assert shipped is not None, "the guest never heard the order ship"
    assert (shipped["data"]["order_id"], shipped["data"]["to"]) == (order_id, "shipped")
    assert set(shipped["data"]) <= {"order_id", "order_number", "from", "to"}


def test_the_guests_order_page_shows_shipped_without_a_reload(local_cloud: LocalCloud, owner: str, page: Page) -> None:
    order_id = placed_order(local_cloud, STORE, LAMP, "browser@example.com")
    # The first page of the module also pays two functions' cold starts (the page's and its static files').
    page.goto(f"{local_cloud.api_url}/shop/{STORE}/checkout/{order_id}", timeout=90_000)
    status = page.locator("[data-live-status]")
    expect(status).to_have_text("Received")
    expect(page.locator("#live-order")).to_have_attribute("data-state", "live", timeout=30_000)
    assert serious_violations(page) == []
    page.evaluate("window.nozzlyNotReloaded = true")

    ship(local_cloud, owner, order_id)

    expect(status).to_have_text("Shipped", timeout=60_000)
    assert page.evaluate("window.nozzlyNotReloaded === true"), "the page was reloaded"
    shot(page, "order-shipped-live")
    assert serious_violations(page) == []


def test_a_move_heard_late_does_not_turn_the_order_page_back(local_cloud: LocalCloud, owner: str, page: Page) -> None:
    """Each move is its own delivery, so "shipped" can arrive before "processing": the page keeps the later stage.
    The page's socket is answered by the test (Playwright's WebSocket routing) to send the two in that order."""
    order_id = placed_order(local_cloud, STORE, LAMP, "late@example.com")
    heard: list[dict[str, Any]] = []

    def live(socket: WebSocketRoute) -> None:
        def on_message(raw: str | bytes) -> None:
            message = json.loads(raw)
            heard.append(message)
            if message.get("action") != "subscribe":
                return
            socket.send(json.dumps({"type": "subscribed", "room": message["room"]}))
            for moved_from, moved_to in (("processing", "shipped"), ("pending", "processing")):
                data = {"order_id": order_id, "order_number": 1, "from": moved_from, "to": moved_to}
                socket.send(json.dumps({"type": "OrderStatusChanged", "v": 1, "store": STORE, "data": data}))

        socket.on_message(on_message)

    page.route_web_socket(re.compile(r"^wss?://"), live)
    page.goto(f"{local_cloud.api_url}/shop/{STORE}/checkout/{order_id}", timeout=90_000)
    status = page.locator("[data-live-status]")
    expect(page.locator("#live-order")).to_have_attribute("data-state", "live", timeout=30_000)
    expect(status).to_have_text("Shipped")
    page.wait_for_timeout(300)  # the late "processing" has been handled by now
    expect(status).to_have_text("Shipped")
    assert [m["action"] for m in heard] == ["subscribe"]
