"""Pools of function sandboxes (worker processes), one pool per function of the template.

Like Lambda: an instance serves one invocation at a time, a pool grows with concurrency up to a
limit, a cold instance pays its init, a timed-out instance is destroyed, and changed code starts
fresh instances (the next request after an edit runs the new code; emulator data is untouched).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localcloud import forked_instances
from localcloud.forked_instances import ForkedProcess, Zygotes
from localcloud.template import ROOT, FunctionSpec

LAYER_DIR = ROOT / "layers" / "common"
WATCHED = (ROOT / "functions", LAYER_DIR)


class InvocationTimeout(Exception):
    pass


class RequestTooLarge(Exception):
    """Lambda's RequestEntityTooLargeException: the event is refused before any instance sees it."""


@dataclass(frozen=True, slots=True)
class Outcome:
    result: str | None  # the handler's return value, JSON-encoded
    error: dict[str, Any] | None  # errorType / errorMessage / stackTrace
    billed_ms: float = 0.0  # init (on a cold start) and run; not the wait for a free instance


# An instance unused this long is stopped. Lambda reclaims idle environments after minutes too; without it, every
# function a schedule woke once kept ~75 MB for the rest of the day (make bench section 12: +150 MB an hour idle).
IDLE_SECONDS = 600.0
# Instances per function by default: one per core the stack may use, at least 2 and at most 4 (each is ~100 MB).
# On two cores, 4 instances a function started twice the processes when a load run began, and they and the emulator
# fought for the CPU: under `make load PROFILE=fifty` every cart operation's p95 over the run was under 300 ms in
# 0 of 4 runs at 4 (add item 320-586 ms) and in 9 of 10 at 2 (173-363 ms), with as many requests served.
FEWEST_INSTANCES, MOST_INSTANCES = 2, 4
# An asynchronous event (EventBridge, S3, InvocationType=Event) waits this long for a busy instance before another
# instance is started for it. Lambda queues such events and promises no latency; on AWS a new instance costs other
# machines, here it costs the same two cores the shoppers' requests need. Without it, the first orders of a load
# run started 24 instances of six event consumers within 3 s (about 10 s of CPU), and every request waited.
ASYNC_SCALE_OUT_S = 1.0


def default_instances() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(MOST_INSTANCES, max(FEWEST_INSTANCES, cores))


def max_instances() -> int:
    """NOZZLY_MAX_INSTANCES (1 to 32; by default the cores, from 2 to 4): how many instances of one function may run
    at once."""
    try:
        limit = int(os.environ.get("NOZZLY_MAX_INSTANCES", str(default_instances())))
    except ValueError:
        raise SystemExit("NOZZLY_MAX_INSTANCES must be a whole number") from None
    if not 1 <= limit <= 32:
        raise SystemExit("NOZZLY_MAX_INSTANCES must be between 1 and 32")
    return limit


RESPONSE_LIMIT = 6_291_556  # bytes: a synchronous invocation's largest answer, as Lambda's error names it
REQUEST_LIMIT = 6_291_556  # bytes: a synchronous invocation's largest event ("Request must be smaller than ...")


def refuse_oversized(event: Any) -> None:
    """Raises RequestTooLarge for an event whose JSON is over Lambda's synchronous request limit. The size is the
    compact UTF-8 JSON a caller sends; a base64-encoded body counts at its encoded length, as on AWS."""
    size = len(json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode())
    if size > REQUEST_LIMIT:
        raise RequestTooLarge(request_too_large_message())


def request_too_large_message() -> str:
    return f"Request must be smaller than {REQUEST_LIMIT} bytes for the InvokeFunction operation"


def within_response_limit(outcome: Outcome) -> Outcome:
    """Lambda refuses to return a synchronous answer over its 6 MB limit; the caller (API Gateway: a 500) gets
    the function error Lambda reports instead."""
    size = len(outcome.result.encode()) if outcome.result else 0
    if size <= RESPONSE_LIMIT:
        return outcome
    message = f"Response payload size ({size} bytes) exceeded maximum allowed payload size ({RESPONSE_LIMIT} bytes)."
    return Outcome(None, {"errorType": "Function.ResponseSizeTooLarge", "errorMessage": message}, outcome.billed_ms)


def code_fingerprint(roots: tuple[Path, ...] = WATCHED) -> int:
    """Changes whenever a Python file under the roots is added, removed or modified."""
    seen = []
    for top in roots:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for name in filenames:
                if name.endswith(".py"):
                    path = os.path.join(dirpath, name)
                    stat = os.stat(path)
                    seen.append((path, stat.st_mtime_ns, stat.st_size))
    return hash(tuple(sorted(seen)))


class Worker:
    def __init__(
        self, spec: FunctionSpec, env: dict[str, str], generation: int, zygotes: Zygotes | None = None
    ) -> None:
        self.spec = spec
        self.generation = generation
        self.last_used = time.monotonic()
        request = {"code_dir": str(spec.code_dir), "layer_dir": str(LAYER_DIR), "handler": spec.handler, "env": env}
        forked = zygotes.fork(generation, request) if zygotes is not None else None
        self.process: subprocess.Popen[str] | ForkedProcess = forked or subprocess.Popen(
            [sys.executable, "-m", "localcloud.worker_main", str(spec.code_dir), str(LAYER_DIR), spec.handler],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(ROOT),
        )
        self.replies: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.init_ms = self._receive(timeout=60).get("init_ms", 0.0)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.replies.put(json.loads(line))
        if isinstance(self.process, ForkedProcess):
            self.process.ended.set()
        self.replies.put({"error": {"errorType": "Runtime.ExitError", "errorMessage": "the function's process exited"}})

    def _receive(self, timeout: float) -> dict[str, Any]:
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise InvocationTimeout(f"Task timed out after {timeout:.2f} seconds") from None

    def call(self, message: dict[str, Any], timeout: float) -> Outcome:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # it ended since it was last seen alive: its reader reports the exit
            pass
        reply = self._receive(timeout)
        return Outcome(reply.get("result"), reply.get("error"))

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive:
            self.process.kill()
        self.process.wait()


class FunctionPool:
    def __init__(
        self,
        spec: FunctionSpec,
        physical_name: str,
        env: dict[str, str],
        arn: str,
        max_instances: int,
        *,
        zygotes: Zygotes | None = None,
    ) -> None:
        self.spec, self.physical_name, self.env, self.arn = spec, physical_name, env, arn
        self.max_instances = max_instances
        self.zygotes = zygotes
        self.idle: list[Worker] = []
        self.instances = 0
        self.scaled_at = 0.0  # monotonic: when the newest instance was asked for, and again when it was ready
        self.lock = threading.Condition()

    def _checkout(self, generation: int, patience: float = 0.0) -> tuple[Worker, float]:
        """An idle instance, else a new one, and when the wait for it ended (perf_counter: what Lambda bills starts
        there). With `patience`, a running instance is waited for that long first, and the pool grows by at most one
        instance per `patience`, counted from when the last new one was ready."""
        waited_since = time.monotonic()
        with self.lock:
            while True:
                while self.idle:
                    worker = self.idle.pop()
                    if worker.alive and worker.generation == generation:
                        return worker, time.perf_counter()
                    worker.stop()
                    self.instances -= 1
                room = self.instances < self.max_instances
                wait = max(waited_since, self.scaled_at) + patience - time.monotonic() if patience else 0.0
                if room and (self.instances == 0 or wait <= 0):
                    self.instances += 1
                    self.scaled_at = time.monotonic()
                    break
                self.lock.wait(wait if room else None)
        began = time.perf_counter()
        try:
            worker = Worker(self.spec, self.env, generation, self.zygotes)  # cold start, outside the lock
            with self.lock:
                self.scaled_at = time.monotonic()
            return worker, began
        except BaseException:
            with self.lock:
                self.instances -= 1
                self.lock.notify_all()
            raise

    def _release(self, worker: Worker) -> None:
        with self.lock:
            if worker.alive:
                worker.last_used = time.monotonic()
                self.idle.append(worker)
                self.lock.notify()
            else:
                self.instances -= 1
                self.lock.notify_all()  # room for an instance: a synchronous waiter may take it, an async one not yet

    def invoke(self, event: Any, generation: int, patience: float = 0.0) -> Outcome:
        context = {
            "function_name": self.physical_name,
            "invoked_function_arn": self.arn,
            "memory_limit_in_mb": self.spec.memory,
            "aws_request_id": str(uuid.uuid4()),
            "timeout": self.spec.timeout,
        }
        message = {"op": "invoke", "event": event, "context": context}
        return self._call(message, generation, self.spec.timeout, patience)

    def openapi(self, generation: int) -> dict[str, Any] | None:
        outcome = self._call({"op": "openapi"}, generation, 60)
        document: dict[str, Any] | None = json.loads(outcome.result) if outcome.result else None
        return document

    def _call(self, message: dict[str, Any], generation: int, timeout: float, patience: float = 0.0) -> Outcome:
        worker, began = self._checkout(generation, patience)
        try:
            outcome = worker.call(message, timeout)
        except InvocationTimeout as exc:  # the instance was destroyed; Lambda reports it like this
            outcome = Outcome(None, {"errorType": "Sandbox.Timedout", "errorMessage": str(exc)})
        finally:
            self._release(worker)
        billed = (time.perf_counter() - began) * 1000
        return within_response_limit(Outcome(outcome.result, outcome.error, billed))

    def reap(self, now: float, idle_for: float = IDLE_SECONDS) -> int:
        """Stop the instances nobody has used for `idle_for` seconds, as Lambda reclaims idle environments; how
        many were stopped."""
        with self.lock:
            stale = [w for w in self.idle if now - w.last_used >= idle_for]
            self.idle = [w for w in self.idle if w not in stale]
            self.instances -= len(stale)
            if stale:
                self.lock.notify_all()  # room for a new instance (no one waits while any is idle, but cheap)
        for worker in stale:
            worker.stop()
        return len(stale)

    def stop(self) -> None:
        with self.lock:
            for worker in self.idle:
                worker.stop()
            self.idle.clear()
        if self.zygotes is not None:
            self.zygotes.stop()  # shared by the pools: the first to stop ends it


def reap_idle(pools: dict[str, FunctionPool], stop: threading.Event, every: float = 60.0) -> None:
    """Until `stop`, look every `every` seconds for instances idle past IDLE_SECONDS and stop them (a thread)."""
    while not stop.wait(every):
        now = time.monotonic()
        for pool in pools.values():
            pool.reap(now)


class CodeWatcher:
    """Notices edits under functions/ and layers/ (checked at most twice a second)."""

    def __init__(self, roots: tuple[Path, ...] = WATCHED, interval: float = 0.5) -> None:
        self.roots, self.interval = roots, interval
        self._lock = threading.Lock()
        self._checked = 0.0
        self.generation = code_fingerprint(roots)

    def current(self) -> int:
        with self._lock:
            now = time.monotonic()
            if now - self._checked > self.interval:
                self._checked = now
                self.generation = code_fingerprint(self.roots)
            return self.generation


def without_runtime_settings(base: dict[str, str]) -> dict[str, str]:
    """The developer's environment less what Lambda sets itself (AWS_*, POWERTOOLS_*, _X_AMZN*): a function and the
    zygote its workers fork from get only the template's and the local cloud's values of those."""
    return {k: v for k, v in base.items() if not k.startswith(("AWS_", "POWERTOOLS_", "_X_AMZN"))}


def function_env(
    base: dict[str, str], resolved: dict[str, Any], physical_name: str, spec: FunctionSpec, endpoint: str
) -> dict[str, str]:
    """What a Lambda instance of this function sees, pointed at the emulator."""
    env = without_runtime_settings(base)
    env |= {k: str(v) for k, v in resolved.items()}
    env |= {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": physical_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon on a laptop
        "PYTHONPATH": "",
    }
    if "WEBSOCKET_MANAGEMENT_ENDPOINT" in env:  # the stage's https URL on AWS; the local WebSocket server here
        from localcloud.ports import management_endpoint, websocket_port  # not websocket.py: it loads aiohttp

        env["WEBSOCKET_MANAGEMENT_ENDPOINT"] = management_endpoint(websocket_port())
    if "LIVE_URL" in env:  # the shop pages' socket: the stage's wss URL on AWS; the local WebSocket server here
        from localcloud.ports import websocket_port

        env["LIVE_URL"] = f"ws://127.0.0.1:{websocket_port()}/live"
    return env


def pools_for(
    specs: dict[str, FunctionSpec], resolver: Any, endpoint: str, max_instances: int
) -> dict[str, FunctionPool]:
    from localcloud.intrinsics import arn

    base = dict(os.environ)
    zygote_env = without_runtime_settings(base) | {"PYTHONPATH": ""}
    zygotes = Zygotes(LAYER_DIR, zygote_env, ROOT) if forked_instances.enabled() else None
    pools = {}
    for logical_id, spec in specs.items():
        name = resolver.names[logical_id]
        env = function_env(base, resolver.resolve(spec.environment), name, spec, endpoint)
        function_arn = arn("AWS::Lambda::Function", name)
        pools[logical_id] = FunctionPool(spec, name, env, function_arn, max_instances, zygotes=zygotes)
    return pools
