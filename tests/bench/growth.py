"""Section 2c: does a checkout cost more as the tables grow? The same shopper journeys, one at a time, in one
local cloud: first with the carts store's one product, then again after the bench catalog (5,000 products,
tests/bench/catalog.py) is written into the same catalog table and indexed.

One at a time, so the numbers are the path's own cost, not queueing. Polls every 0.1 s for the placed order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.bench import carts, catalog
from tests.bench.report import heading, ms, percentile, table

JOURNEYS = 20
POLL = 0.1  # seconds between polls of the checkout: the time to a placed order is read to this step
CAP = 120.0  # seconds one journey may take
WARM_UP = 4  # concurrent journeys first, not timed
SETTLE = 5.0  # seconds of quiet before each timed series


def _journeys(port: int, sessions: list[str]) -> list[carts.Shopper]:
    return [carts.crowd(port, [session], CAP, poll_every=POLL).shoppers[0] for session in sessions]


def _stats(shoppers: list[carts.Shopper]) -> dict[str, list[float]]:
    found = {op: [v for s in shoppers for v in s.latencies.get(op, [])] for op in carts.OPERATIONS[:4]}
    found["time to placed order"] = [s.to_placed for s in shoppers if s.to_placed is not None]
    return found


def _catalog_items(names: dict[str, str]) -> int:
    from localcloud.clients import aws_clients
    from localcloud.ports import emulator_url

    described: dict[str, Any] = aws_clients(emulator_url())("dynamodb").describe_table(TableName=names["CatalogTable"])
    return int(described["Table"]["ItemCount"])


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    from localcloud.ports import emulator_url

    progress("growth: starting a local cloud (no demo seed)")
    with carts.local_cloud() as (port, _summary, log_path, names):
        carts.open_store(names)
        sessions = carts.guest_sessions(names, WARM_UP + 2 * JOURNEYS)
        carts.crowd(port, sessions[:WARM_UP], CAP)  # the functions' first instances pay their cold starts here
        time.sleep(SETTLE)  # and the orders' background work (emails, events) ends before anything is timed
        small_items = _catalog_items(names)
        progress(f"growth: {JOURNEYS} journeys one at a time, catalog table of {small_items} items")
        small = _journeys(port, sessions[WARM_UP : WARM_UP + JOURNEYS])
        began = catalog.seed(emulator_url(), names, progress)
        indexed = catalog.wait_for_index(port, began, progress)
        big_items = _catalog_items(names)
        progress(f"growth: {JOURNEYS} journeys one at a time, catalog table of {big_items} items")
        time.sleep(SETTLE)
        big = _journeys(port, sessions[WARM_UP + JOURNEYS :])
    before, after = _stats(small), _stats(big)
    rows = []
    for operation in before:
        p50s = (percentile(before[operation], 50), percentile(after[operation], 50))
        rows.append(
            [
                operation,
                f"{len(before[operation])}/{len(after[operation])}",
                ms(p50s[0]),
                ms(percentile(before[operation], 95)),
                ms(p50s[1]),
                ms(percentile(after[operation], 95)),
                f"{p50s[1] / p50s[0]:.2f}x" if p50s[0] > 0 else "-",
            ]
        )
    head = ["operation", "n before/after", "p50 ms", "p95 ms", f"p50 ms at {big_items:,}", "p95 ms", "p50 ratio"]
    placed = sum(s.outcome == "placed" for s in small + big)
    out = [
        heading(f"2c. Checkout as the tables grow: catalog table {small_items:,} -> {big_items:,} items"),
        f"  One local cloud (logs: {log_path}). {JOURNEYS} journeys one at a time (add, update, get cart, cash-on-",
        f"  delivery checkout, poll every {POLL} s until placed), before and after {catalog.PRODUCTS:,} products",
        f"  (store {catalog.BENCH_STORE}) were written to the same catalog table and indexed ({indexed:.0f} s).",
        f"  Placed: {placed} of {2 * JOURNEYS}.",
        "",
        *table(head, rows),
    ]
    summary = [f"Checkout as the tables grow (catalog table {small_items:,} -> {big_items:,} items, one at a time):"]
    summary += table(head, rows)
    return out, summary
