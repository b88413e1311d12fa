"""A Lambda-like sandbox for one cold-start sample: its environment, a loopback AWS stub, the child run."""

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
from localcloud.template import ROOT, FunctionSpec
from localcloud.workers import LAYER_DIR, function_env

CHILD = Path(__file__).with_name("child.py")
MARKER = "BENCH_RESULT "  # as in child.py (which imports nothing of the repository)
TRACE_ID = "Root=1-6740560a-3b5c7f1e2d4a6b8c9e0f1a2b;Parent=53995c3f42cd8ad8;Sampled=1"


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
