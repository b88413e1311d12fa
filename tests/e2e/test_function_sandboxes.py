"""Function sandboxes (worker processes): fresh code after an edit, errors and timeouts as Lambda reports them."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from localcloud.template import FunctionSpec
from localcloud.workers import CodeWatcher, FunctionPool

pytestmark = pytest.mark.e2e

HANDLER = """
import os, time
VERSION = "{version}"
def handler(event, context):
    if event.get("fail"):
        raise ValueError("refused: " + event["fail"])
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {{"version": VERSION, "pid": os.getpid(), "function": context.function_name,
             "table": os.environ["TABLE"]}}
"""


def write_handler(code_dir: Path, version: str) -> None:
    path = code_dir / "app.py"
    path.write_text(HANDLER.format(version=version))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a distinct mtime even within one tick


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[FunctionPool, CodeWatcher, Path]:
    write_handler(tmp_path, "v1")
    spec = FunctionSpec("Probe", tmp_path, "app.handler", timeout=2, memory=128, environment={})
    env = dict(os.environ) | {"TABLE": "nozzly-ProbeTable"}
    pool = FunctionPool(spec, "nozzly-Probe", env, "arn:aws:lambda:us-east-1:123456789012:function:nozzly-Probe", 2)
    return pool, CodeWatcher(roots=(tmp_path,), interval=0), tmp_path


def invoke(pool: FunctionPool, watcher: CodeWatcher, event: dict[str, object]) -> dict[str, object]:
    outcome = pool.invoke(event, watcher.current())
    assert outcome.error is None, outcome.error
    result: dict[str, object] = json.loads(outcome.result or "null")
    return result


def test_an_edit_is_served_by_the_next_invocation(sandbox: tuple[FunctionPool, CodeWatcher, Path]) -> None:
    pool, watcher, code_dir = sandbox
    try:
        first = invoke(pool, watcher, {})
        assert first["version"] == "v1"
        assert first["function"] == "nozzly-Probe" and first["table"] == "nozzly-ProbeTable"
        assert invoke(pool, watcher, {})["pid"] == first["pid"]  # a warm instance is reused
        write_handler(code_dir, "v2")
        after_edit = invoke(pool, watcher, {})
        assert after_edit["version"] == "v2"
        assert after_edit["pid"] != first["pid"]
    finally:
        pool.stop()


def test_a_handler_exception_is_a_function_error(sandbox: tuple[FunctionPool, CodeWatcher, Path]) -> None:
    pool, watcher, _ = sandbox
    try:
        outcome = pool.invoke({"fail": "bad input"}, watcher.current())
        assert outcome.result is None and outcome.error is not None
        assert outcome.error["errorType"] == "ValueError"
        assert outcome.error["errorMessage"] == "refused: bad input"
        assert invoke(pool, watcher, {})["version"] == "v1"  # the instance survives a handled error
    finally:
        pool.stop()


def test_an_invocation_past_the_timeout_is_killed(sandbox: tuple[FunctionPool, CodeWatcher, Path]) -> None:
    pool, watcher, _ = sandbox
    try:
        before = invoke(pool, watcher, {})
        started = time.monotonic()
        outcome = pool.invoke({"sleep": 30}, watcher.current())
        assert time.monotonic() - started < 10
        assert outcome.error is not None and "timed out" in outcome.error["errorMessage"]
        assert invoke(pool, watcher, {})["pid"] != before["pid"]  # a fresh instance replaced it
    finally:
        pool.stop()
