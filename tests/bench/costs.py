"""Bench section 9: what a shop owner pays AWS for one placed order and for 1,000 storefront page views.

Against a local cloud of its own with the meters on (NOZZLY_METER=1): the emulator counts DynamoDB request units,
EventBridge events, Step Functions state transitions and SES emails; the functions process counts Lambda requests,
their billed milliseconds and HTTP API requests (localcloud/metering.py). The bench reads both meters before and
after a guest's cash-on-delivery order (cart, checkout, the saga, and every consumer of OrderPlaced, until the
meters stop moving) and around the page views (shop home, a category and a product page in turn), and prices the
difference with localcloud/costs.py's list prices.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.request
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from localcloud.costs import Usage, line_items, total
from tests.bench.report import heading, table

PAGES = (
    "/shop/mystmereforge/",
    "/shop/mystmereforge/categories/blades",
    "/shop/mystmereforge/products/ember-longsword",
)
QUIET_S = 4.0  # the meters have settled when nothing moved for this long
REQUEST_TIMEOUT = 90.0  # counts, not latency, are measured here: a cold start on a busy machine may be slow
ADDRESS = {
    "name": "Bench Shopper",
    "line1": "Hauptstrasse 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def reading(api: str, emulator: str) -> dict[str, Any]:
    return {"functions": _get(f"{api}/_local/meter"), "emulator": _get(f"{emulator}/_localcloud/meter")}


def usage_between(before: dict[str, Any], after: dict[str, Any]) -> Usage:
    """What was counted between two readings (the meters' own reads are not API requests, so not counted)."""
    usage = Usage()
    old = before["functions"]["lambda"]
    for name, now in after["functions"]["lambda"].items():
        was = old.get(name, {"requests": 0, "ms": 0.0})
        if now["requests"] > was["requests"]:
            usage.lambda_requests[name] = now["requests"] - was["requests"]
            usage.lambda_ms[name] = now["ms"] - was["ms"]
            usage.memory_mb[name] = now["memory_mb"]
    usage.http_requests = after["functions"]["http_requests"] - before["functions"]["http_requests"]
    e0, e1 = before["emulator"], after["emulator"]
    usage.read_units = e1["read_units"] - e0["read_units"]
    usage.write_units = e1["write_units"] - e0["write_units"]
    usage.transitions = e1["transitions"] - e0["transitions"]
    usage.events = e1["events"] - e0["events"]
    usage.emails = e1["emails"] - e0["emails"]
    return usage


def settled(api: str, emulator: str, cap_s: float = 120) -> dict[str, Any]:
    """A reading once the meters stopped moving (asynchronous consumers are done)."""
    last, quiet_since, deadline = reading(api, emulator), time.monotonic(), time.monotonic() + cap_s
    while time.monotonic() - quiet_since < QUIET_S and time.monotonic() < deadline:
        time.sleep(1.0)
        now = reading(api, emulator)
        if (now["emulator"], now["functions"]["lambda"]) != (last["emulator"], last["functions"]["lambda"]):
            quiet_since = time.monotonic()
        last = now
    return last


def _call(port: int, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers={"content-type": "application/json", **headers})
        answer = connection.getresponse()
        raw = answer.read()
        return answer.status, json.loads(raw) if raw and answer.getheader("content-type", "").startswith(
            "application/json"
        ) else None
    finally:
        connection.close()


def place_order(port: int, store: str, product: str, session: str) -> int:
    """A guest's order through the API: add to cart, check out (cash on delivery), poll until placed, as the shop
    page does (the polls are part of the order's cost). Requests made."""
    status, _ = _call(port, "POST", f"/stores/{store}/carts/{session}/items", {"product": product, "quantity": 1})
    if status != 200:
        raise RuntimeError(f"adding to the cart answered {status}")
    body = {"session_id": session, "email": "cost@bench.test", "shipping_address": ADDRESS,
            "shipping_method": "standard", "payment_method": "cash_on_delivery"}  # fmt: skip
    status, started = _call(port, "POST", f"/stores/{store}/checkout", body, **{"idempotency-key": uuid.uuid4().hex})
    if status != 202:
        raise RuntimeError(f"checkout answered {status}: {started}")
    requests, deadline = 2, time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.5)
        requests += 1
        _, progress = _call(port, "GET", f"/stores/{store}/checkouts/{started['id']}")
        if progress and progress.get("status") in ("placed", "failed"):
            if progress["status"] != "placed":
                raise RuntimeError(f"the bench order failed: {progress}")
            return requests
    raise RuntimeError("the bench order was not placed within 60 s")


def page_views(port: int, count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        for i in range(count):
            connection.request("GET", PAGES[i % len(PAGES)], headers={"accept": "text/html"})
            connection.getresponse().read()
    finally:
        connection.close()


def _dollars(value: Decimal) -> str:
    return f"${value:.6f}"


def render(order: Usage, views: Usage, view_count: int) -> tuple[list[str], list[str]]:
    per_view = Decimal(1000) / view_count
    order_lines, view_lines = line_items(order), line_items(views)
    rows = [[name, _dollars(order_lines[name]), _dollars(view_lines[name] * per_view)] for name in order_lines]
    rows.append(["total", _dollars(total(order)), _dollars(total(views) * per_view)])
    counts = (
        f"  counted for the order: {sum(order.lambda_requests.values())} Lambda requests, "
        f"{order.gb_seconds():.2f} GB-s, {order.http_requests} HTTP API requests, {order.write_units:g} WRU, "
        f"{order.read_units:g} RRU, {order.transitions} state transitions, {order.events} events, "
        f"{order.emails} emails"
    )
    section = [
        heading("9. What AWS charges (us-east-1 list prices, localcloud/costs.py)"),
        *table(["line", "one placed order", "1,000 page views"], rows),
        counts,
        f"  page views measured: {view_count} (scaled to 1,000); Lambda durations are this machine's, an upper bound",
    ]
    summary = [
        f"cost: one placed order {_dollars(total(order))} (cash on delivery, every OrderPlaced consumer); "
        f"1,000 storefront page views {_dollars(total(views) * per_view)}"
    ]
    return section, summary


def measure(progress: Callable[[str], None], view_count: int = 1000) -> tuple[list[str], list[str]]:
    from tests.bench.carts import PRODUCT, STORE, guest_sessions, open_store
    from tests.bench.load import local_cloud

    os.environ["NOZZLY_METER"] = "1"
    try:
        progress("cost: starting a metered local cloud with the demo store")
        with local_cloud() as (port, _summary, _log):
            api, emulator = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{os.environ['NOZZLY_EMULATOR_PORT']}"
            from localcloud.intrinsics import Resolver
            from localcloud.template import LOCAL_PARAMETERS, transformed

            names = Resolver(transformed(parameters=LOCAL_PARAMETERS), dict(LOCAL_PARAMETERS)).names
            open_store(names)
            warm, measured = guest_sessions(names, 2)
            progress("cost: a first order warms the functions (not counted)")
            place_order(port, STORE, PRODUCT, warm)
            page_views(port, len(PAGES))
            before = settled(api, emulator)
            progress("cost: one order, counted")
            place_order(port, STORE, PRODUCT, measured)
            after = settled(api, emulator)
            order = usage_between(before, after)
            progress(f"cost: {view_count} page views, counted")
            page_views(port, view_count)
            views = usage_between(after, settled(api, emulator))
    finally:
        os.environ.pop("NOZZLY_METER", None)
    return render(order, views, view_count)
