"""An invocation from the emulator waits for a functions process that is being started again, as Lambda's service
outlives its sandboxes (localcloud/bridge.post_invoke), and still reports Lambda.ServiceException when none
comes back in time: a workflow task is not failed by a restart, nor left waiting for ever."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from localcloud import bridge


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Answers(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        answer = json.dumps({"echo": json.loads(body)}).encode()
        self.send_response(200)
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        return None


def test_an_invocation_waits_for_the_functions_process_to_come_back() -> None:
    port = _free_port()
    servers: list[ThreadingHTTPServer] = []

    def come_back() -> None:
        time.sleep(1.0)  # the supervisor starting the functions process again
        servers.append(ThreadingHTTPServer(("127.0.0.1", port), _Answers))
        servers[0].serve_forever()

    threading.Thread(target=come_back, daemon=True).start()
    try:
        payload, error = bridge.post_invoke(
            f"http://127.0.0.1:{port}", "nozzly-Steps", b'{"step": 1}', "RequestResponse"
        )
    finally:
        while not servers:
            time.sleep(0.05)
        servers[0].shutdown()
    assert error is None
    assert json.loads(payload) == {"echo": {"step": 1}}


def test_a_functions_process_that_never_comes_back_is_a_service_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bridge, "UNREACHABLE_WAIT", 0.5)
    began = time.monotonic()
    payload, error = bridge.post_invoke(f"http://127.0.0.1:{_free_port()}", "nozzly-Steps", b"{}", "RequestResponse")
    assert error == "Unhandled"
    assert json.loads(payload)["errorType"] == "Lambda.ServiceException"
    assert 0.5 <= time.monotonic() - began < 5
