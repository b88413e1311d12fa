"""One function sandbox: imports the handler the template names and runs invocations.

Started as its own interpreter (`python -m localcloud.worker_main`), like a Lambda execution
environment: its own environment variables, its own cold start. It speaks JSON lines over the
stdout it was given; anything the handler prints goes to stderr, the local cloud's log.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
import traceback
from typing import Any


class LambdaContext:
    def __init__(self, info: dict[str, Any]) -> None:
        self.function_name: str = info["function_name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn: str = info["invoked_function_arn"]
        self.memory_limit_in_mb: int = info["memory_limit_in_mb"]
        self.aws_request_id: str = info["aws_request_id"]
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + info["timeout"]

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self._deadline - time.monotonic()) * 1000), 0)


def _error(kind: str, exc: BaseException) -> dict[str, Any]:
    return {
        "errorType": kind or type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def main() -> None:
    code_dir, layer_dir, handler_name = sys.argv[1:4]
    run(code_dir, layer_dir, handler_name)


def run(code_dir: str, layer_dir: str, handler_name: str) -> None:
    """Imports the handler and serves invocations from stdin until it closes (also a forked instance's body:
    localcloud/zygote.py)."""
    # Ctrl-C reaches the whole process group; the functions process stops its sandboxes itself (and
    # a sandbox also ends when its stdin closes), so a sandbox has nothing to say about it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # the handler's prints and logs go to stderr, never into the protocol
    sys.stdout = sys.stderr
    sys.path[:0] = [code_dir, layer_dir]
    module_name, function_name = handler_name.rsplit(".", 1)
    init_error: dict[str, Any] | None = None
    started = time.perf_counter()
    try:
        module = importlib.import_module(module_name)
        handler = getattr(module, function_name)
    except Exception as exc:
        init_error = _error("Runtime.ImportModuleError", exc)
    protocol.write(json.dumps({"ready": True, "init_ms": (time.perf_counter() - started) * 1000}) + "\n")
    for line in sys.stdin:
        message = json.loads(line)
        reply: dict[str, Any]
        if init_error:
            reply = {"error": init_error}
        elif message["op"] == "openapi":
            app = getattr(module, "app", None)
            reply = {"result": json.dumps(app.openapi() if app is not None else None)}
        else:
            try:
                result = handler(message["event"], LambdaContext(message["context"]))
                reply = {"result": json.dumps(result)}
            except Exception as exc:
                reply = {"error": _error(type(exc).__name__, exc)}
        protocol.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
