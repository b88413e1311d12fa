"""Function instances forked from one process that has already imported the libraries every function loads.

A new instance used to be a fresh interpreter importing FastAPI, pydantic, boto3 and Powertools again, about
225 ms of CPU before the function's own code, on the same two cores the running instances need. Under
`make load PROFILE=fifty` the first orders started some 25 instances within seconds, and every shopper waited.
Here the zygote (started once per code generation, like the instances) imports those libraries and nothing of the
function's; each instance is a fork of it that takes the function's environment and then imports its handler, as
`localcloud.worker_main` does in a fresh interpreter (`NOZZLY_FORK_INSTANCES=0` goes back to that). Lambda
SnapStart restores instances from a snapshot taken after init the same way.

The zygote imports no Nozzly code but `nozzly.boot`, which every HTTP function imports first and which reads no
environment. The zygote starts no thread and opens no connection, so a fork shares nothing live with its siblings
but the X-Ray recorder's UDP socket, which nothing sends on locally (tracing is off).
The forked instance's stdin and stdout are pipes the functions process made and passed over a Unix socket.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sys
import threading
from typing import Any

# What every function imports before its own code (the HTTP functions through nozzly.boot and nozzly.api).
PRELOAD = (
    "nozzly.boot",
    "fastapi",
    "fastapi.responses",
    "fastapi.routing",
    "starlette.exceptions",
    "mangum",
    "pydantic",
    "boto3",
    "aws_lambda_powertools",
    "aws_lambda_powertools.logging",
    "aws_lambda_powertools.metrics",
    # Powertools' Tracer imports it on every instance's first invocation (144 ms: its recorder builds an X-Ray
    # client). Its import reads only AWS_XRAY_* and LAMBDA_TASK_ROOT, which neither the zygote nor a function has.
    "aws_xray_sdk.core",
)
MESSAGE_LIMIT = 1 << 20  # a function's environment, as JSON


def _instance(request: dict[str, Any], stdin_fd: int, stdout_fd: int) -> None:
    """In the forked child: become the function's instance (never returns)."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.dup2(stdin_fd, 0)
    os.dup2(stdout_fd, 1)
    os.close(stdin_fd)
    os.close(stdout_fd)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115  # the zygote's object may hold none of this pipe's data
    os.environ.clear()
    os.environ.update(request["env"])
    from localcloud import worker_main

    code = 0
    try:
        worker_main.run(request["code_dir"], request["layer_dir"], request["handler"])
    except BaseException:  # whatever happens, the child must not return into the zygote's loop
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)


def serve(channel: socket.socket) -> None:
    """Forks an instance for every request on `channel`, answering with its pid, until the channel closes."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # instances are reaped as they end
    while True:
        message, fds, _, _ = socket.recv_fds(channel, MESSAGE_LIMIT, 2)
        if not message:
            return
        pid = os.fork()
        if pid == 0:
            channel.close()
            _instance(json.loads(message), fds[0], fds[1])
        for fd in fds:
            os.close(fd)
        channel.send(json.dumps({"pid": pid}).encode())


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the functions process stops it, as it stops instances
    channel = socket.socket(fileno=int(sys.argv[1]))
    sys.path[:0] = [sys.argv[2]]
    for name in PRELOAD:
        importlib.import_module(name)
    # nozzly.boot pauses the garbage collector until a handler is built when the environment names a function
    # (it does not here, unless the developer's shell does): no handler is built here, and the instances of
    # functions that are not HTTP functions never build one.
    importlib.import_module("nozzly.boot").end_of_init()
    if threading.active_count() != 1:  # the functions process then starts instances fresh
        raise SystemExit("zygote: a preloaded library started a thread, and forking a threaded process is unsafe")
    channel.send(b'{"ready": true}')
    serve(channel)


if __name__ == "__main__":
    main()
