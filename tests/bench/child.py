"""One cold-start sample, run as a script in a fresh interpreter (stdlib only before the timed import).

    python tests/bench/child.py floor
    python tests/bench/child.py init   CODE_DIR LAYER_DIR app.handler
    python tests/bench/child.py invoke CODE_DIR LAYER_DIR app.handler EVENT_FILE

The result is the last stdout line, prefixed with MARKER; whatever the handler logs comes before it.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import uuid
from typing import Any

MARKER = "BENCH_RESULT "
# Heavy dependencies whose presence after init tells whether the lazy-loading design holds
# ("botocore.session", not the bare botocore package, which Powertools imports for a user-agent hook).
HEAVY = ("boto3", "botocore.session", "pydantic_settings", "aws_xray_sdk", "fastapi", "pydantic", "mangum")


class Context:
    """What the Lambda runtime hands a handler (the attributes Powertools reads)."""

    def __init__(self, function_name: str, memory_mb: int, timeout_s: float = 10) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "bench"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self._deadline - time.monotonic()) * 1000), 0)


def _floor() -> None:
    import boto3

    boto3.client("dynamodb", region_name="us-east-1")
    from aws_lambda_powertools import Logger

    Logger(service="floor")


class ImportClock:
    """Times the modules imported while installed (outermost imports only, so nested ones count once)."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.modules = 0
        self._depth = 0

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                self._wrap(spec.loader)
                return spec
            if spec is not None:
                return spec
        return None

    def _wrap(self, loader: Any) -> None:
        original = loader.exec_module
        if getattr(original, "_clocked", False):
            return
        clock = self

        def exec_module(module: Any) -> None:
            clock.modules += 1
            clock._depth += 1
            started = time.perf_counter()
            try:
                original(module)
            finally:
                clock._depth -= 1
                if clock._depth == 0:
                    clock.ms += (time.perf_counter() - started) * 1000

        exec_module._clocked = True  # type: ignore[attr-defined]
        loader.exec_module = exec_module


def _outcome(result: Any) -> str:
    if isinstance(result, dict) and "statusCode" in result:
        return f"HTTP {result['statusCode']}"
    return "ok"


def main(argv: list[str]) -> dict[str, Any]:
    mode = argv[0]
    if mode != "floor":
        code_dir, layer_dir = argv[1], argv[2]
        sys.path[0:1] = [code_dir, layer_dir]  # replaces this script's own directory
    else:
        del sys.path[0]
    result: dict[str, Any] = {"mode": mode}
    started = time.perf_counter()
    if mode == "floor":
        _floor()
        handler = None
    else:
        module_name, attribute = argv[3].rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), attribute)
    result["import_ms"] = (time.perf_counter() - started) * 1000
    result["heavy"] = [name for name in HEAVY if name in sys.modules]
    result["modules"] = len(sys.modules)
    if mode == "invoke" and handler is not None:
        with open(argv[4], encoding="utf-8") as file:
            event = json.load(file)
        memory = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        context = Context(os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bench"), memory)
        clock = ImportClock()
        sys.meta_path.insert(0, clock)  # what the first invocation imports lazily, and what that costs
        started = time.perf_counter()
        try:
            result["outcome"] = _outcome(handler(event, context))
        except Exception as exc:  # the bench reports it; the timing still counts
            result["outcome"] = f"raised {type(exc).__name__}"
        result["invoke_ms"] = (time.perf_counter() - started) * 1000
        sys.meta_path.remove(clock)
        result["lazy_import_ms"], result["lazy_modules"] = clock.ms, clock.modules
    return result


if __name__ == "__main__":
    report = main(sys.argv[1:])
    sys.stdout.flush()
    print(MARKER + json.dumps(report), flush=True)
