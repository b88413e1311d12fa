"""Function instances forked from the zygote (localcloud/zygote.py, localcloud/forked_instances.py) behave as the
fresh interpreters they replace: each sees its own function's environment and none of the zygote's, runs in its
own process, is killed at its timeout and replaced, and serves edited code once the code changes. When the zygote
cannot start, instances start fresh instead."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from localcloud.forked_instances import ForkedProcess, Zygotes
from localcloud.template import ROOT, FunctionSpec
from localcloud.workers import LAYER_DIR, FunctionPool, Outcome

pytestmark = pytest.mark.functional

HANDLER = """
import gc, os, sys, time
VERSION = "{version}"

def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("exit"):
        os._exit(3)
    print("a print goes to the log, not to the protocol")
    return {{"version": VERSION, "pid": os.getpid(), "table": os.environ.get("TABLE"),
             "zygote_only": os.environ.get("ZYGOTE_ONLY"),
             "fastapi_preloaded": "fastapi" in sys.modules and "aws_xray_sdk.core" in sys.modules,
             "collecting": gc.isenabled(), "function": context.function_name}}
"""


def write_handler(code_dir: Path, version: str) -> None:
    path = code_dir / "app.py"
    existed = path.exists()
    path.write_text(HANDLER.format(version=version))
    if existed:  # a .pyc is trusted by mtime in whole seconds and size: this edit must not look unchanged
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def answer(outcome: Outcome) -> dict[str, object]:
    assert outcome.error is None, outcome.error
    found: dict[str, object] = json.loads(outcome.result or "{}")
    return found


@pytest.fixture
def zygotes() -> Iterator[Zygotes]:
    # A shell that names a function (as a developer's might) makes nozzly.boot pause the collector in the zygote.
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": "", "ZYGOTE_ONLY": "leaked", "AWS_LAMBDA_FUNCTION_NAME": "shell"}
    found = Zygotes(LAYER_DIR, env, ROOT)
    yield found
    found.stop()


def pool_of(code_dir: Path, zygotes: Zygotes | None, timeout: int = 30) -> FunctionPool:
    spec = FunctionSpec("Probe", code_dir, "app.handler", timeout=timeout, memory=128, environment={})
    env = {"PATH": os.environ["PATH"], "TABLE": "probe-table"}
    return FunctionPool(spec, "probe", env, "arn:aws:lambda:us-east-1:123456789012:function:probe", 2, zygotes=zygotes)


def test_a_forked_instance_sees_its_functions_environment_in_a_process_of_its_own(
    tmp_path: Path, zygotes: Zygotes
) -> None:
    write_handler(tmp_path, "v1")
    pool = pool_of(tmp_path, zygotes)
    try:
        answers: list[Outcome] = []
        both = [threading.Thread(target=lambda: answers.append(pool.invoke({"sleep": 0.5}, 0))) for _ in range(2)]
        for thread in both:
            thread.start()
        for thread in both:
            thread.join()
        found = [answer(a) for a in answers]
        assert all(isinstance(w.process, ForkedProcess) for w in pool.idle)
    finally:
        pool.stop()

    assert zygotes.zygote is None  # stopped with the pool
    pids = {f["pid"] for f in found}
    assert len(pids) == 2  # two instances ran at once
    for f in found:
        assert f["table"] == "probe-table"
        assert f["zygote_only"] is None  # the zygote's environment is not the function's
        assert f["fastapi_preloaded"] is True  # what the zygote imported is there already
        assert f["collecting"] is True  # the zygote ended the pause nozzly.boot began there
        assert f["function"] == "probe"
        assert f["version"] == "v1"


def test_a_forked_instance_past_its_timeout_is_killed_and_the_next_call_gets_a_new_one(
    tmp_path: Path, zygotes: Zygotes
) -> None:
    write_handler(tmp_path, "v1")
    pool = pool_of(tmp_path, zygotes, timeout=1)
    try:
        first = answer(pool.invoke({}, 0))["pid"]
        timed_out = pool.invoke({"sleep": 5}, 0)
        assert timed_out.error is not None and timed_out.error["errorType"] == "Sandbox.Timedout"
        assert pool.instances == 0
        with pytest.raises(ProcessLookupError):
            os.kill(int(str(first)), 0)
        exited = pool.invoke({"exit": True}, 0)
        assert exited.error is not None and exited.error["errorType"] == "Runtime.ExitError"
        again = answer(pool.invoke({}, 0))
    finally:
        pool.stop()

    assert again["pid"] != first
    assert again["version"] == "v1"


def test_waiting_for_a_forked_instance_returns_only_once_its_process_is_gone(tmp_path: Path, zygotes: Zygotes) -> None:
    """A Worker learns of an instance's end from its stdout closing, a moment before the kernel removes the
    process; a timed-out instance's wait must not return in that moment, or the pool's count of live instances
    (and the test above) would see a process that is still there."""
    write_handler(tmp_path, "v1")
    pool = pool_of(tmp_path, zygotes)
    try:
        answer(pool.invoke({}, 0))
        process = pool.idle[0].process
        assert isinstance(process, ForkedProcess)
        process.ended.set()  # as if its stdout had just closed, while the process is in fact still running
        waited = threading.Thread(target=process.wait)
        waited.start()
        waited.join(0.3)
        assert waited.is_alive()  # still there, so still waiting
        os.kill(process.pid, signal.SIGKILL)
        waited.join(5)
        assert not waited.is_alive()
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)
    finally:
        pool.stop()


def test_edited_code_is_served_by_instances_of_a_new_zygote(tmp_path: Path, zygotes: Zygotes) -> None:
    write_handler(tmp_path, "v1")
    pool = pool_of(tmp_path, zygotes)
    try:
        before = answer(pool.invoke({}, generation=1))
        first_zygote = zygotes.zygote
        write_handler(tmp_path, "v2")
        after = answer(pool.invoke({}, generation=2))
        assert zygotes.zygote is not None and zygotes.zygote is not first_zygote
        assert first_zygote is not None and first_zygote.process.poll() is not None  # the old one ended
    finally:
        pool.stop()

    assert (before["version"], after["version"]) == ("v1", "v2")
    assert before["pid"] != after["pid"]


def test_instances_start_fresh_when_the_zygote_cannot(tmp_path: Path) -> None:
    write_handler(tmp_path, "v1")
    broken = Zygotes(tmp_path / "no-layer-here", {"PATH": os.environ["PATH"], "PYTHONPATH": ""}, ROOT)
    pool = pool_of(tmp_path, broken)
    try:
        found = answer(pool.invoke({}, 0))
        assert not isinstance(pool.idle[0].process, ForkedProcess)
    finally:
        pool.stop()

    assert found["table"] == "probe-table"
    assert found["fastapi_preloaded"] is False  # a fresh interpreter imported only the handler


def test_forking_is_on_by_default_on_linux_only_and_the_variable_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    from localcloud import forked_instances

    monkeypatch.delenv("NOZZLY_FORK_INSTANCES", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert forked_instances.enabled()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forked_instances.enabled()
    monkeypatch.setenv("NOZZLY_FORK_INSTANCES", "1")
    assert forked_instances.enabled()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("NOZZLY_FORK_INSTANCES", "0")
    assert not forked_instances.enabled()
