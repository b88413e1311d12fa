"""Bench section 10: 50 product imports through the local cloud, as one bulk import of 50 research results.

A local cloud of its own (no demo seed) on free loopback ports. An operator signs up and opens a store through
the HTTP API (the provisioning workflow makes it ready), saves research settings naming the local supplier's
64-product bench feed (localcloud/supplier_feeds.py; Reddit off), and the daily schedule's research run ranks
them. Then `POST /admin/stores/{store}/research/imports` with the day's best 50 starts BulkImportStateMachine:
the product import workflow per result (fetch, AI copy from the Bedrock peer, images to WebP, price, draft),
four at a time, each awaited with `startExecution.sync:2`. Measured: the wall time from the request to the bulk
execution's end, each import's own time (its child execution's start to stop), failures, and the calls the
Bedrock peer answered. Bounded: the run stops waiting after the time cap; every request times out; the cloud is
always stopped. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

from tests.bench.report import heading, ms, percentile, table

IMPORTS = 50
PASSWORD = "Bench-Imports-2026"
OWNER = "bench-imports@bench.test"
REQUEST_TIMEOUT = 29.0


def _call(port: int, method: str, path: str, token: str = "", body: Any = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"content-type": "application/json"} | ({"authorization": f"Bearer {token}"} if token else {})
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body).encode(), headers=headers)
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None
    finally:
        conn.close()


def _ok(answer: tuple[int, Any], what: str) -> Any:
    status, body = answer
    if not 200 <= status < 300:
        raise RuntimeError(f"bench imports: {what} answered {status}: {str(body)[:300]}")
    return body


def _until(probe: Callable[[], Any], done: Callable[[Any], bool], cap_s: float, interval: float = 1.0) -> Any:
    deadline = time.monotonic() + cap_s
    value = probe()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


def _operator(port: int) -> str:
    """Sign up, confirm with the emailed code (the local outbox), log in: the access token."""
    _ok(_call(port, "POST", "/auth/signup", body={"email": OWNER, "password": PASSWORD}), "sign-up")
    messages = _ok(_call(port, "GET", f"/_local/outbox?to={OWNER}"), "outbox")["messages"]
    code = re.findall(r"\b(\d{6})\b", messages[-1]["body"])[0]
    _ok(_call(port, "POST", "/auth/confirm", body={"email": OWNER, "code": code}), "confirm")
    login = _ok(_call(port, "POST", "/auth/login", body={"email": OWNER, "password": PASSWORD}), "login")
    return str(login["access_token"])


def _store(port: int, token: str, supplier: str) -> str:
    body = {"name": "Bench Imports", "niche": "home", "description": "", "currency": "EUR", "country": "DE"}
    store = str(_ok(_call(port, "POST", "/admin/stores", token, body), "open store")["id"])
    ready = _until(
        lambda: _call(port, "GET", f"/admin/stores/{store}/provisioning", token)[1],
        lambda p: p["status"] in ("READY", "FAILED"),
        120,
    )
    if ready["status"] != "READY":
        raise RuntimeError(f"bench imports: the store was not provisioned: {ready}")
    _ok(_call(port, "POST", f"/admin/stores/{store}/categories", token, {"name": "Finds"}), "category")
    from localcloud.supplier_feeds import CSV_MAPPING

    feed = {"id": "bench", "url": f"{supplier}/feeds/bench.csv", "format": "csv", "mapping": CSV_MAPPING}
    settings = {"version": 0, "keywords": ["home goods"], "feeds": [feed], "reddit": False}
    _ok(_call(port, "PATCH", f"/admin/stores/{store}/research/settings", token, settings), "research settings")
    return store


def _execution(sfn: Any, arn: str, before: set[str], cap_s: float) -> dict[str, Any]:
    """The one execution of `arn` not in `before`, once it ended (or as it is when the cap is reached)."""
    listed = _until(
        lambda: [e for e in sfn.list_executions(stateMachineArn=arn)["executions"] if e["executionArn"] not in before],
        bool,
        30,
        0.2,
    )
    if not listed:
        raise RuntimeError(f"bench imports: no execution of {arn} started")
    execution_arn = listed[0]["executionArn"]
    found: dict[str, Any] = _until(
        lambda: sfn.describe_execution(executionArn=execution_arn), lambda e: e["status"] != "RUNNING", cap_s, 0.5
    )
    return found


def arn(state_machine: str) -> str:
    return f"arn:aws:states:us-east-1:123456789012:stateMachine:{state_machine}"


def _converse_calls() -> int:
    from localcloud.ports import bedrock_url

    with urllib.request.urlopen(f"{bedrock_url()}/_nozzly/calls", timeout=10) as answer:
        return sum(int(n) for n in json.load(answer).values())


def measure(progress: Callable[[str], None], count: int = IMPORTS, cap_s: float = 600.0) -> tuple[list[str], list[str]]:
    from localcloud.clients import aws_clients
    from localcloud.ports import emulator_url
    from tests.bench.carts import local_cloud

    progress("imports: starting a local cloud (no demo seed)")
    with local_cloud() as (port, _summary, log_path, names):
        sfn = aws_clients(emulator_url())("stepfunctions")
        token = _operator(port)
        store = _store(port, token, os.environ["NOZZLY_SUPPLIER_URL"])
        progress("imports: the daily research run over the bench feed (64 products)")
        research = arn(names["ResearchStateMachine"])
        _ok(_call(port, "POST", "/_local/schedules/ResearchStateMachineDaily"), "schedule")
        researched = _execution(sfn, research, set(), 300)
        day = json.loads(researched["input"])["time"][:10]
        results = _ok(_call(port, "GET", f"/admin/stores/{store}/research/results?day={day}", token), "results")
        chosen = [r["id"] for r in results["results"][:count]]
        progress(f"imports: one bulk import of {len(chosen)} results (4 at a time), cap {cap_s:.0f} s")
        converse_before = _converse_calls()
        bulk_arn = arn(names["BulkImportStateMachine"])
        began = time.perf_counter()
        body = {"day": day, "result_ids": chosen, "category": "finds"}
        accepted = _ok(_call(port, "POST", f"/admin/stores/{store}/research/imports", token, body), "bulk import")
        answered = time.perf_counter() - began
        bulk = _execution(sfn, bulk_arn, set(), cap_s)
        wall = time.perf_counter() - began
        converse = _converse_calls() - converse_before
        children = sfn.list_executions(stateMachineArn=arn(names["ProductImportStateMachine"]))["executions"]
        drafts = _call(port, "GET", f"/admin/stores/{store}/products?status=draft&limit=100", token)[1] or {}
    per_import = [(c["stopDate"] - c["startDate"]).total_seconds() * 1000 for c in children if c.get("stopDate")]
    statuses = Counter(c["status"] for c in children)
    accepted_count = len(accepted["imports"])
    failed = accepted_count - statuses.get("SUCCEEDED", 0)
    tally = json.loads(bulk.get("output") or "{}").get("tally", {})
    drafted = len(drafts.get("items", []))
    rows = [
        ["per import", str(len(per_import)), ms(percentile(per_import, 50)), ms(percentile(per_import, 95)),
         ms(max(per_import, default=math.nan))],
    ]  # fmt: skip
    section = [
        heading(f"10. Product imports through the local cloud (one bulk import of {accepted_count})"),
        f"  Store {store}: research over the local supplier's bench feed, the day's best {accepted_count} results",
        "  imported with POST .../research/imports (BulkImportStateMachine: the product import workflow per result,",
        "  4 at a time, startExecution.sync:2). Per import: its child execution's start to stop (fetch, AI copy,",
        f"  WebP renditions, price, draft). Cap {cap_s:.0f} s. Its logs: {log_path}",
        "",
        *table(["", "count", "p50 ms", "p95 ms", "max ms"], rows),
        "",
        f"  The request ({accepted_count} import runs prepared, the workflow started): 202 in {answered:.1f} s.",
        f"  Wall time {wall:.1f} s (request to the bulk execution's end, status {bulk['status']}); imports:"
        + ", ".join(f" {k.lower()} x{n}" for k, n in statuses.most_common())
        + f"; failures {failed}; tally {tally}; drafts listed {drafted}; Bedrock Converse calls {converse}.",
    ]
    summary = [
        f"Imports, local cloud, one bulk import of {accepted_count}: request {answered:.1f} s, wall {wall:.1f} s,"
        f" per import p50"
        f" {ms(percentile(per_import, 50))} ms, p95 {ms(percentile(per_import, 95))} ms, failures {failed},"
        f" Bedrock calls {converse}"
    ]
    return section, summary


if __name__ == "__main__":  # python -m tests.bench.imports: this section alone
    import sys

    shown, lines = measure(lambda m: print(f"  .. {m}", file=sys.stderr, flush=True))
    print("\n".join([*shown, "", *lines]), flush=True)
