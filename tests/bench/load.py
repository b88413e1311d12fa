"""Storefront catalog reads through the local cloud: warm-up, then bounded concurrent load per endpoint."""

from __future__ import annotations

import http.client
import os
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from localcloud.run import start, stop
from tests.bench.catalog import BENCH_STORE, PRODUCTS, wait_for_index
from tests.bench.catalog import seed as seed_bench_store
from tests.bench.report import heading, ms, percentile, table

ENDPOINTS = (
    "/stores/mystmereforge",
    "/stores/mystmereforge/categories",
    "/stores/mystmereforge/products?limit=24",
    "/stores/mystmereforge/products?category=blades",
    "/stores/mystmereforge/products/ember-longsword",
    # The 5,000-product bench store (tests/bench/catalog.py): sorts, filters and search.
    f"/stores/{BENCH_STORE}/products?limit=24",
    f"/stores/{BENCH_STORE}/products?sort=price_asc&price_max=20000&limit=24",
    f"/stores/{BENCH_STORE}/products?sort=newest&category=blades&in_stock=true&limit=24",
    f"/stores/{BENCH_STORE}/products?brand=ironhall&sort=price_desc&limit=24",
    f"/stores/{BENCH_STORE}/search?q=steel+katana",
    f"/stores/{BENCH_STORE}/search?q=damasc",
    f"/stores/{BENCH_STORE}/search?q=halbred",
    f"/stores/{BENCH_STORE}/sitemap.xml",
)
SEQUENTIAL = 20  # requests per endpoint from a single client, after the warm-up
REQUEST_TIMEOUT = 10.0  # seconds, per request (socket timeout)


@dataclass
class Run:
    path: str
    latencies: list[float] = field(default_factory=list)  # ms, every answered or failed request
    statuses: Counter[int] = field(default_factory=Counter)  # 0 = transport error
    body_bytes: int = 0
    elapsed: float = 0.0  # s, first request sent to last answer
    capped: bool = False

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listen_overflows() -> int | None:
    """Linux's machine-wide count of connections dropped because a listen backlog was full."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
        header, values = [line.split() for line in lines if line.startswith("TcpExt:")]
    except (OSError, ValueError):
        return None
    return int(dict(zip(header, values, strict=True)).get("ListenOverflows", 0))


@contextmanager
def output_to(path: str) -> Iterator[None]:
    """Point fds 1 and 2 at a file while the local cloud starts: its processes inherit them and log there."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    with open(path, "ab") as log:
        for fd in saved:
            os.dup2(log.fileno(), fd)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)


PORT_VARIABLES = (
    "NOZZLY_API_PORT",
    "NOZZLY_EMULATOR_PORT",
    "NOZZLY_STRIPE_PORT",
    "NOZZLY_SQUARE_PORT",
    "NOZZLY_WS_PORT",
    "NOZZLY_BEDROCK_PORT",
    "NOZZLY_REDDIT_PORT",
)


def fresh_ports() -> None:
    """Every port of the stack set to a free one. The WebSocket API and the supplier peer run in this process's
    daemon threads and keep their ports after a section's local cloud stops, so the next section needs others."""
    for variable in PORT_VARIABLES:
        os.environ[variable] = str(free_port())


@contextmanager
def local_cloud() -> Iterator[tuple[int, str, str]]:
    """localcloud.run.start(seed=True) on free ports; always stopped. Yields the API port, summary and log path."""
    fresh_ports()
    api = int(os.environ["NOZZLY_API_PORT"])
    # Every bench client is 127.0.0.1: the per-IP limit of public routes would refuse all but the first 100 a minute.
    os.environ["NOZZLY_PUBLIC_RATE_LIMITS"] = '{"default": 1000000, "payment-webhooks": 0}'
    handle, log_path = tempfile.mkstemp(prefix="nozzly-bench-localcloud-", suffix=".log")
    os.close(handle)
    with output_to(log_path):
        processes, summary = start(seed=True)
    try:
        yield api, summary, log_path
    finally:
        stop(processes)


def hammer(port: int, path: str, total: int, clients: int, cap_s: float) -> Run:
    """`total` GETs of `path` from `clients` threads, one keep-alive connection each; none started after cap_s."""
    run, lock = Run(path), threading.Lock()
    remaining = [total]
    deadline = time.monotonic() + cap_s

    def ticket() -> bool:
        with lock:
            if remaining[0] <= 0:
                return False
            if time.monotonic() > deadline:
                run.capped = True
                return False
            remaining[0] -= 1
            return True

    def client() -> None:
        conn: http.client.HTTPConnection | None = None
        while ticket():
            connection = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn = connection
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status, body = 0, b""
                response = None
            if response is None or response.will_close:
                connection.close()
                conn = None
            latency = (time.perf_counter() - started) * 1000
            with lock:
                run.latencies.append(latency)
                run.statuses[status] += 1
                if status == 200:
                    run.body_bytes = len(body)
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - started
    return run


def row(run: Run, solo: Run) -> list[str]:
    n = len(run.latencies)
    rate = n / run.elapsed if run.elapsed else 0.0
    stats = [ms(percentile(run.latencies, p)) for p in (50, 95, 99, 100)]
    note = "time cap hit" if run.capped else ""
    if run.errors:
        note = (
            note + " " + ",".join(f"{s or 'conn'}x{c}" for s, c in sorted(run.statuses.items()) if s != 200)
        ).strip()
    solo_p50 = ms(percentile(solo.latencies, 50))
    return [f"GET {run.path}", str(n), str(run.errors), f"{rate:.1f}", *stats, solo_p50, str(run.body_bytes), note]


def measure(requests: int, clients: int, cap_s: float, progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    progress("load: starting the local cloud (emulator, provisioning, functions, demo seed)")
    began, overflows = time.perf_counter(), listen_overflows()
    with local_cloud() as (port, summary, log_path):
        ready = time.perf_counter() - began
        from localcloud.intrinsics import Resolver
        from localcloud.ports import emulator_url
        from localcloud.template import LOCAL_PARAMETERS, transformed

        names = Resolver(transformed(parameters=LOCAL_PARAMETERS), dict(LOCAL_PARAMETERS)).names
        progress(f"load: seeding {PRODUCTS} products into {BENCH_STORE}")
        seeded_at = seed_bench_store(emulator_url(), names, progress)
        indexed = wait_for_index(port, seeded_at, progress)
        progress(f"load: warming up on 127.0.0.1:{port}")
        warm = [hammer(port, path, 3, 1, cap_s) for path in ENDPOINTS]  # the first one pays a cold start
        warm += [hammer(port, path, clients, clients, cap_s) for path in ENDPOINTS]  # the pool grows to its limit
        progress(f"load: {SEQUENTIAL} sequential requests per endpoint (service time without queueing)")
        solo = [hammer(port, path, SEQUENTIAL, 1, cap_s) for path in ENDPOINTS]
        runs = []
        for path in ENDPOINTS:
            progress(f"load: {requests} x GET {path}")
            runs.append(hammer(port, path, requests, clients, cap_s))
    warm_errors = sum(r.errors for r in warm)
    after = listen_overflows()
    dropped = "n/a" if overflows is None or after is None else str(after - overflows)
    out = [
        heading(f"2. Storefront reads through the local cloud ({clients} clients, {requests} requests per endpoint)"),
        f"  Local cloud: localcloud.run.start(seed=True) on 127.0.0.1:{port}, ready in {ready:.1f} s ({summary}).",
        f"  Bench store {BENCH_STORE}: {PRODUCTS} products (put_product, 8 writers); search found the last one"
        f" {indexed:.0f} s after the first write (stream -> SearchIndexer).",
        f"  Its logs: {log_path}",
        f"  Warm-up: 3 sequential + {clients} concurrent requests per endpoint ({sum(len(r.latencies) for r in warm)}"
        f" requests, {warm_errors} non-200; slowest {ms(max(max(r.latencies) for r in warm))} ms).",
        "  Clients: threads in this process, one keep-alive http.client connection each; a request is started",
        f"  only while the budget lasts and within {cap_s:.0f} s. Latency = send to last body byte, over all requests;",
        "  errors = non-200 or transport failures. Load generator, gateway, workers and emulator share the CPUs;",
        "  the gateway caps instances per function (max_instances in localcloud/gateway.py), so requests queue.",
        f"  1-client p50: {SEQUENTIAL} sequential requests per endpoint after the warm-up (latency without queueing).",
        f"  TCP listen-backlog overflows meanwhile (machine-wide, /proc/net/netstat): {dropped}. Each one costs a new",
        "  connection a 1 s SYN retransmit: the ~1 s tails below, when 20 clients connect at once.",
        "",
    ]
    head = ["endpoint", "count", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "1-client p50"]
    rows = [row(r, s) for r, s in zip(runs, solo, strict=True)]
    out += table([*head, "bytes", "note"], rows)
    summary_lines = [
        f"Storefront reads, local cloud, {clients} keep-alive clients, {requests} req/endpoint"
        f" ({BENCH_STORE}: {PRODUCTS} products, indexed {indexed:.0f} s after the first write):"
    ]
    summary_lines += table(head, [r[: len(head)] for r in rows])
    return out, summary_lines
