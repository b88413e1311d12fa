"""Carts and checkout under load: concurrent virtual shoppers through the local cloud's HTTP API on 127.0.0.1.

Each shopper adds an item, changes its quantity, reads the cart, checks out (cash on delivery, stock
plentiful) and polls the checkout until it is placed. Guest sessions are written to the identity table as
POST /stores/{store}/sessions writes them, because that route allows 30 sessions per IP and hour. Everything
is bounded: a request times out after REQUEST_TIMEOUT seconds and polling stops at the run's time cap.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.bench.report import heading, ms, percentile, table

STORE = "bench-carts"
PRODUCT = "bench-lantern"
STOCK = 1_000_000  # plentiful: the bench measures the path, not stock-outs
OPERATIONS = ("add item", "update quantity", "get cart", "checkout", "poll checkout")
BENCH_RATE_LIMITS = '{"default": 1000000, "payment-webhooks": 0}'
REQUEST_TIMEOUT = 29.0  # seconds per request: under API Gateway's 30 s integration limit
POLL_EVERY = 0.5  # seconds between polls: GET checkouts shares the Checkout function with POST checkout
WARM_UP_SHOPPERS = 8  # not measured: the functions' first instances pay their cold starts here
ADDRESS = {
    "name": "Bench Shopper",
    "line1": "Hauptstrasse 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


@dataclass
class Shopper:
    session: str
    latencies: dict[str, list[float]] = field(default_factory=dict)  # ms per operation
    errors: Counter[str] = field(default_factory=Counter)  # "operation status" -> count
    to_placed: float | None = None  # ms from sending the checkout to seeing it placed
    outcome: str = "not started"


@dataclass
class Run:
    shoppers: list[Shopper]
    elapsed: float  # s


@contextmanager
def local_cloud() -> Iterator[tuple[int, str, str, dict[str, str]]]:
    """localcloud.run.start(seed=False) on free ports, always stopped: API port, summary, log path, names."""
    from tests.bench.load import fresh_ports, output_to

    fresh_ports()
    # Every bench shopper is 127.0.0.1: the per-IP limit of public routes would refuse all but the first 100 a minute.
    os.environ["NOZZLY_PUBLIC_RATE_LIMITS"] = BENCH_RATE_LIMITS
    from localcloud.intrinsics import Resolver
    from localcloud.run import start, stop
    from localcloud.template import LOCAL_PARAMETERS, transformed

    handle, log_path = tempfile.mkstemp(prefix="nozzly-bench-carts-", suffix=".log")
    os.close(handle)
    with output_to(log_path):
        processes, summary = start(seed=False)
    try:
        names = Resolver(transformed(parameters=LOCAL_PARAMETERS), dict(LOCAL_PARAMETERS)).names
        yield int(os.environ["NOZZLY_API_PORT"]), summary, log_path, names
    finally:
        stop(processes)


def open_store(names: dict[str, str]) -> None:
    """The store (provisioning defaults: standard shipping, DE tax) and one product, through CatalogImport."""
    from localcloud.clients import aws_clients
    from localcloud.ports import emulator_url

    invoke = aws_clients(emulator_url())("lambda").invoke
    store = {"id": STORE, "name": "Bench Carts", "currency": "EUR", "country": "DE"}
    product = {
        "slug": PRODUCT,
        "title": "Bench Lantern",
        "category": "goods",
        "price": {"amount": 2500, "currency": "EUR"},
        "images": [],
        "variants": [{"id": "default", "sku": "BC-LANTERN", "stock_on_hand": STOCK}],
    }
    steps = [
        {"step": "store", "store": store, "categories": [{"slug": "goods", "name": "Goods"}]},
        {"step": "product", "store_id": STORE, "currency": "EUR", "categories": ["goods"], "product": product},
    ]
    for step in steps:
        answer = invoke(FunctionName=names["CatalogImport"], Payload=json.dumps(step).encode())
        if answer.get("FunctionError"):
            raise RuntimeError(f"bench store step failed: {answer['Payload'].read()[:300]!r}")


def guest_sessions(names: dict[str, str], count: int, store: str = STORE) -> list[str]:
    """Live guest sessions, written as POST /sessions writes them (that route allows 30 per IP and hour)."""
    from localcloud.clients import aws_clients
    from localcloud.ports import emulator_url

    dynamodb = aws_clients(emulator_url())("dynamodb")
    now = int(time.time())
    sessions = [secrets.token_urlsafe(32) for _ in range(count)]
    for start in range(0, count, 25):
        puts = [
            {
                "PutRequest": {
                    "Item": {
                        "pk": {"S": f"GUEST#{store}#{s}"},
                        "sk": {"S": "SESSION"},
                        "store": {"S": store},
                        "created_at": {"N": str(now)},
                        "expires_at": {"N": str(now + 3600)},
                    }
                }
            }
            for s in sessions[start : start + 25]
        ]
        request: dict[str, Any] = {names["IdentityTable"]: puts}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
    return sessions


class Client:
    """One keep-alive connection per shopper; a dropped connection is reopened for the next request."""

    def __init__(self, port: int, shopper: Shopper) -> None:
        self.port, self.shopper = port, shopper
        self.conn: http.client.HTTPConnection | None = None

    def call(self, operation: str, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        conn = self.conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        self.conn = conn
        data = None if body is None else json.dumps(body).encode()
        sent = {"accept": "application/json"} | ({"content-type": "application/json"} if data else {}) | headers
        started = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            status, raw = response.status, response.read()
            if response.will_close:
                conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException):
            conn.close()
            self.conn, status, raw = None, 0, b""
        self.shopper.latencies.setdefault(operation, []).append((time.perf_counter() - started) * 1000)
        if not 200 <= status < 300:
            self.shopper.errors[f"{operation} {status or 'conn'}"] += 1
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def shop(port: int, shopper: Shopper, deadline: float, poll_every: float = POLL_EVERY) -> None:
    """add -> update -> get -> checkout -> poll until placed (or failed, or the deadline)."""
    client, cart = Client(port, shopper), f"/stores/{STORE}/carts/{shopper.session}"
    try:
        steps: list[tuple[str, str, str, Any]] = [
            ("add item", "POST", f"{cart}/items", {"product": PRODUCT, "quantity": 1}),
            ("update quantity", "PATCH", f"{cart}/items/{PRODUCT}:default", {"quantity": 2}),
            ("get cart", "GET", cart, None),
        ]
        for operation, method, path, body in steps:
            status, _ = client.call(operation, method, path, body)
            if status != 200:
                shopper.outcome = f"{operation} failed"
                return
        order = {
            "session_id": shopper.session,
            "email": "bench@example.com",
            "shipping_address": ADDRESS,
            "shipping_method": "standard",
            "payment_method": "cash_on_delivery",
        }
        sent = time.perf_counter()
        key = f"bench-{uuid.uuid4().hex}"
        status, started = client.call(
            "checkout", "POST", f"/stores/{STORE}/checkout", order, **{"idempotency-key": key}
        )
        if status != 202 or not isinstance(started, dict):
            shopper.outcome = "checkout refused"
            return
        while time.monotonic() < deadline:
            status, progress = client.call("poll checkout", "GET", f"/stores/{STORE}/checkouts/{started['id']}")
            state = progress.get("status") if isinstance(progress, dict) else None
            if state == "placed":
                shopper.to_placed, shopper.outcome = (time.perf_counter() - sent) * 1000, "placed"
                return
            if state == "failed":
                shopper.outcome = f"failed: {progress.get('reason') if isinstance(progress, dict) else ''}"
                return
            time.sleep(poll_every)
        shopper.outcome = "not placed in time"
    finally:
        client.close()


def crowd(port: int, sessions: list[str], cap_s: float, poll_every: float = POLL_EVERY) -> Run:
    """One thread per shopper, released together."""
    shoppers = [Shopper(s) for s in sessions]
    gate = threading.Barrier(len(shoppers) + 1)
    deadline = time.monotonic() + cap_s

    def run(shopper: Shopper) -> None:
        gate.wait()
        shop(port, shopper, deadline, poll_every)

    threads = [threading.Thread(target=run, args=(s,), daemon=True) for s in shoppers]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=cap_s + 2 * REQUEST_TIMEOUT)
    return Run(shoppers, time.perf_counter() - began)


def _row(name: str, values: list[float], count: int, errors: int) -> list[str]:
    stats = [ms(percentile(values, p)) for p in (50, 95, 99, 100)]
    return [name, str(count), str(errors), *stats]


def measure(shoppers: int, cap_s: float, progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    progress("carts: starting a local cloud (no demo seed)")
    began = time.perf_counter()
    with local_cloud() as (port, summary, log_path, names):
        ready = time.perf_counter() - began
        open_store(names)
        sessions = guest_sessions(names, WARM_UP_SHOPPERS + shoppers)
        progress(f"carts: warm-up, {WARM_UP_SHOPPERS} concurrent shoppers (not measured)")
        warm = crowd(port, sessions[:WARM_UP_SHOPPERS], cap_s)
        progress(f"carts: {shoppers} concurrent shoppers: add, update, get, checkout, poll until placed")
        run = crowd(port, sessions[WARM_UP_SHOPPERS:], cap_s)
    rows, requests, failed_requests = [], 0, 0
    for operation in OPERATIONS:
        values = [v for s in run.shoppers for v in s.latencies.get(operation, [])]
        errors = sum(n for s in run.shoppers for k, n in s.errors.items() if k.startswith(f"{operation} "))
        requests, failed_requests = requests + len(values), failed_requests + errors
        rows.append(_row(operation, values, len(values), errors))
    placed = [s.to_placed for s in run.shoppers if s.to_placed is not None]
    rows.append(_row("time to placed order", placed, len(placed), shoppers - len(placed)))
    outcomes = Counter(s.outcome for s in run.shoppers)
    error_kinds = sum((s.errors for s in run.shoppers), Counter[str]())
    shopper_rate = 100 * (shoppers - len(placed)) / shoppers
    request_rate = 100 * failed_requests / requests if requests else 0.0
    warm_placed = sum(s.outcome == "placed" for s in warm.shoppers)
    out = [
        heading(f"2b. Carts and checkout through the local cloud ({shoppers} concurrent shoppers)"),
        f"  Local cloud: localcloud.run.start(seed=False) on 127.0.0.1:{port}, ready in {ready:.1f} s ({summary}).",
        f"  Its logs: {log_path}",
        f"  Store {STORE}: one product, {STOCK} in stock, EUR, standard shipping, DE tax (CatalogImport).",
        f"  Guest sessions: {WARM_UP_SHOPPERS + shoppers} written straight to the identity table as POST /sessions",
        "  writes them (that route allows 30 per IP and hour, and every shopper here shares 127.0.0.1).",
        f"  Warm-up: {WARM_UP_SHOPPERS} shoppers, {warm_placed} placed, in {warm.elapsed:.1f} s (first instances'",
        "  cold starts). Then every shopper is one thread with one keep-alive connection, released together:",
        "  POST items, PATCH items/{item} (quantity 2), GET cart, POST checkout (cash on delivery, Idempotency-Key),",
        f"  GET checkouts/{{id}} every {POLL_EVERY} s until placed; time cap {cap_s:.0f} s.",
        "  Latency = request sent to last body byte.",
        "  Time to placed order = checkout sent -> a poll sees `placed` (the saga: reserve, number, order, clear).",
        "  The gateway caps instances per function (max_instances in localcloud/gateway.py), so requests queue.",
        "",
    ]
    head = ["operation", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"]
    out += table(head, rows)
    out += [
        "",
        f"  Run: {run.elapsed:.1f} s; outcomes: " + ", ".join(f"{k} x{n}" for k, n in outcomes.most_common()),
        f"  Error rate: {shopper_rate:.1f} % of shoppers without a placed order; {request_rate:.2f} % of"
        f" {requests} requests non-2xx or failed"
        + (" (" + ", ".join(f"{k} x{n}" for k, n in error_kinds.most_common()) + ")" if error_kinds else "")
        + ".",
    ]
    summary_lines = [
        f"Carts + checkout, local cloud, {shoppers} concurrent shoppers (cash on delivery; sessions written"
        " directly, POST /sessions is throttled per IP):",
        *table(head, rows),
        f"  placed {len(placed)}/{shoppers}; error rate {shopper_rate:.1f} % of shoppers,"
        f" {request_rate:.2f} % of {requests} requests; run {run.elapsed:.1f} s",
    ]
    return out, summary_lines
