"""Cold-start init of each function of the template, against a floor, one fresh interpreter per sample."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from localcloud.intrinsics import Resolver
from localcloud.template import LOCAL_PARAMETERS, ROOT, FunctionSpec, functions, http_routes, load_sam, transformed
from localcloud.workers import LAYER_DIR, function_env
from tests.bench.report import heading, med, ms, table

CHILD = Path(__file__).with_name("child.py")
MARKER = "BENCH_RESULT "  # as in child.py (which imports nothing of the repository)
EVENTS = ROOT / "events"
TARGETS = {"http": 1.5, "other": 1.15}  # init time / floor
# The first invocation's event per function; AWS calls reach only the loopback stub below.
FIRST_EVENTS = {
    "Health": "health_live.json",
    "StorefrontCatalog": "storefront_list_products.json",
    "CatalogImport": "catalog_import_store_step.json",
    "CatalogStats": "catalog_stats_imported.json",
}
TRACE_ID = "Root=1-6740560a-3b5c7f1e2d4a6b8c9e0f1a2b;Parent=53995c3f42cd8ad8;Sampled=1"
FLOOR = (
    'import boto3; boto3.client("dynamodb", region_name="us-east-1"); '
    'from aws_lambda_powertools import Logger; Logger(service="floor")'
)


class _StubHandler(BaseHTTPRequestHandler):
    """Every AWS call answered at once with an empty DynamoDB-shaped page: no retries, no backoff."""

    protocol_version = "HTTP/1.1"
    body = json.dumps({"Items": [], "Count": 0, "ScannedCount": 0}).encode()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-type", "application/x-amz-json-1.0")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(self.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer


@contextmanager
def aws_stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Target:
    name: str
    kind: str  # floor, http, other
    env: dict[str, str]
    spec: FunctionSpec | None = None
    event: Path | None = None
    init: list[dict[str, Any]] = field(default_factory=list)
    invoke: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def argv(self, mode: str) -> list[str]:
        if self.spec is None:
            return [sys.executable, str(CHILD), "floor"]
        args = [sys.executable, str(CHILD), mode, str(self.spec.code_dir), str(LAYER_DIR), self.spec.handler]
        return [*args, str(self.event)] if mode == "invoke" else args


def lambda_env(spec: FunctionSpec, resolver: Resolver, endpoint: str) -> dict[str, str]:
    """The local cloud's function environment, but as Lambda runs it: tracing on, Lambda markers set."""
    name = resolver.names[spec.logical_id]
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "TZ": ":UTC"}
    env = function_env(base, resolver.resolve(spec.environment), name, spec, endpoint)
    env.pop("POWERTOOLS_TRACE_DISABLED", None)
    return env | {
        "LAMBDA_TASK_ROOT": str(spec.code_dir),  # Powertools/X-Ray: "in Lambda", so the Tracer really traces
        "_HANDLER": spec.handler,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",  # UDP on loopback, nobody listens
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "_X_AMZN_TRACE_ID": TRACE_ID,
    }


def targets(endpoint: str) -> tuple[list[Target], list[str]]:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    resolver = Resolver(cfn, dict(LOCAL_PARAMETERS))
    http = {route.function for route in http_routes(load_sam())}
    found: list[Target] = []
    notes: list[str] = []
    for logical_id, spec in functions(cfn).items():
        event_name = FIRST_EVENTS.get(logical_id)
        event = EVENTS / event_name if event_name else None
        if event is None or not event.is_file():
            notes.append(f"{logical_id}: no event ({event_name or 'none mapped'}); init + first invocation skipped")
            event = None
        kind = "http" if logical_id in http else "other"
        found.append(Target(logical_id, kind, lambda_env(spec, resolver, endpoint), spec, event))
    floor_env = {k: v for k, v in found[0].env.items() if k != "POWERTOOLS_SERVICE_NAME"}
    return [Target("floor", "floor", floor_env), *found], notes


def sample(target: Target, mode: str) -> None:
    cwd = target.spec.code_dir if target.spec else ROOT
    started = time.perf_counter()
    try:
        done = subprocess.run(
            target.argv(mode), env=target.env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        target.failures.append(f"{mode}: timed out after 60 s")
        return
    wall = (time.perf_counter() - started) * 1000
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        target.failures.append(f"{mode}: exit {done.returncode}: {tail}")
        return
    result: dict[str, Any] = json.loads(lines[-1][len(MARKER) :])
    result["process_ms"] = wall
    (target.invoke if mode == "invoke" else target.init).append(result)


def measure(repeat: int, progress: Any) -> tuple[list[Target], list[str], str]:
    with aws_stub() as endpoint:
        found, notes = targets(endpoint)
        for target in found:  # untimed: bytecode caches and page cache warm for every target alike
            sample(target, "init")
            target.init.clear()
        for round_no in range(repeat):
            progress(f"cold start: round {round_no + 1}/{repeat}")
            order = found[round_no % len(found) :] + found[: round_no % len(found)]  # rotate to spread drift
            for target in order:
                sample(target, "init")
            for target in order:
                if target.event is not None:
                    sample(target, "invoke")
    return found, notes, endpoint


def _col(samples: list[dict[str, Any]], key: str) -> float:
    return med([s[key] for s in samples if key in s])


def render(found: list[Target], notes: list[str], endpoint: str, repeat: int) -> tuple[list[str], list[str]]:
    """The report section and the lines of the summary block."""
    floor = _col(found[0].init, "import_ms")
    out = [
        heading(f"1. Cold start: init per function (fresh interpreter per sample, median of {repeat})"),
        "  Child: sys.path = [code_dir, layers/common] + the venv; times `import app; app.handler` (perf_counter).",
        "  Environment: the template's Variables resolved as the local cloud does (localcloud.workers.function_env),",
        "  fake credentials, us-east-1, plus what Lambda sets (LAMBDA_TASK_ROOT, _X_AMZN_TRACE_ID, ...).",
        "  POWERTOOLS_TRACE_DISABLED is NOT set (as on Lambda): the Tracer is lazy, so init does not pay X-Ray;",
        "  the first invocation does. X-Ray segments go to UDP 127.0.0.1:2000 (nobody listens).",
        f"  AWS_ENDPOINT_URL = {endpoint}: an in-bench loopback stub answering every call with an empty",
        "  DynamoDB page at once (so no retry backoff inflates the first invocation; nothing leaves the machine).",
        f"  Floor: a child timing `{FLOOR}`.",
        "  One untimed warm-up child per target first; samples interleaved and rotated per round.",
        "",
    ]
    rows, summary = [], []
    for t in found:
        init = _col(t.init, "import_ms")
        ratio = init / floor if floor else float("nan")
        limit = TARGETS.get(t.kind)
        verdict = "" if limit is None else ("PASS" if ratio <= limit else "OVER")
        if not t.init:
            verdict = "FAILED"
        low = min((s["import_ms"] for s in t.init), default=float("nan"))
        high = max((s["import_ms"] for s in t.init), default=float("nan"))
        heavy = ",".join(t.init[0]["heavy"]) if t.init else "-"
        target_text = f"<= {limit}x" if limit else "(floor)"
        rows.append(
            [
                t.name,
                t.kind,
                ms(init),
                f"{ms(low)}-{ms(high)}",
                ms(_col(t.init, "process_ms")),
                f"{ratio:.2f}x",
                target_text,
                verdict,
                str(t.init[0]["modules"]) if t.init else "-",
                heavy,
            ]
        )
        summary.append(
            f"  {t.name:<18} {t.kind:<5} init {ms(init):>5} ms  {ratio:4.2f}x floor  {target_text:<8} {verdict}"
        )
    out += table(
        [
            "function",
            "kind",
            "init ms",
            "min-max",
            "process ms",
            "x floor",
            "target",
            "verdict",
            "modules",
            "heavy modules loaded at init",
        ],
        rows,
    )
    out += ["", "  Init + first invocation (same environment; the lazy imports and the Tracer are paid here):", ""]
    rows = []
    for t in found[1:]:
        if not t.invoke:
            rows.append([t.name, t.event.name if t.event else "-", "-", "-", "-", "-", "-", "skipped"])
            continue
        init, first = _col(t.invoke, "import_ms"), _col(t.invoke, "invoke_ms")
        total = med([s["import_ms"] + s["invoke_ms"] for s in t.invoke])
        outcomes = sorted({s["outcome"] for s in t.invoke})
        assert t.event is not None
        rows.append(
            [
                t.name,
                t.event.name,
                ms(init),
                ms(first),
                ms(total),
                f"{total / floor:.2f}x",
                ms(_col(t.invoke, "process_ms")),
                "; ".join(outcomes),
            ]
        )
        summary[found.index(t)] += f"  | init+first {ms(total)} ms ({total / floor:.2f}x)"
    out += table(["function", "event", "init ms", "first ms", "init+first", "x floor", "process ms", "outcome"], rows)
    failures = [f"  {t.name}: {f}" for t in found for f in t.failures]
    if notes or failures:
        out += ["", "  Notes:", *(f"  {n}" for n in notes), *failures]
    summary.insert(0, f"cold start, median of {repeat} (floor = boto3 client + Powertools Logger = {ms(floor)} ms):")
    return out, summary
