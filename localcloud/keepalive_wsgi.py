"""Keep-alive for the emulator's HTTP server, which werkzeug's development server turns off.

werkzeug answers every request with `Connection: close`, because http.server cannot drain a body the application
left unread before the next request line arrives. So every AWS call of every function opened a TCP connection and
the emulator started a thread for it: about a quarter of the emulator's CPU for a GetItem (py-spy; make bench
section 7 compares both servers). This handler reads each request's whole body before the application runs, hands
it over as a buffer, and answers with a Content-Length, so nothing is left to drain and the client's connection is
kept, as AWS keeps it.
"""

from __future__ import annotations

import io
import logging
import time
from typing import Any

from werkzeug.serving import DechunkedInput

log = logging.getLogger(__name__)
# Statuses whose answer has no body (RFC 9110), as a HEAD answer has none: their Content-Length is the application's.
BODILESS_STATUSES = frozenset({204, 304})


def keep_alive(handler: type) -> type:
    """`handler` (a werkzeug WSGIRequestHandler) serving each request on a connection the client may reuse."""

    class KeepAliveRequestHandler(handler):  # type: ignore[misc]
        protocol_version = "HTTP/1.1"
        # Status line and headers, then the body: two writes. With Nagle on, a keep-alive client's delayed ACK
        # would hold every body about 40 ms, as it did in the gateway.
        disable_nagle_algorithm = True
        _date: tuple[int, str] = (0, "")

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The Date header, formatted once a second: email.utils' formatting was about 4 % of the
            emulator's CPU under load, for a value with a resolution of one second."""
            if timestamp is not None:
                return str(super().date_time_string(timestamp))
            second = int(time.time())
            kept = KeepAliveRequestHandler._date
            if kept[0] != second:
                kept = KeepAliveRequestHandler._date = (second, str(super().date_time_string(second)))
            return kept[1]

        def run_wsgi(self) -> None:
            if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            environ: dict[str, Any] = self.make_environ()
            body = _read_body(environ)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("wsgi.input_terminated", None)
            self.environ = environ
            answer: list[Any] = []
            chunks: list[bytes] = []

            def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                answer[:] = [status, headers]
                return chunks.append

            try:
                iterable = self.server.app(environ, start_response)
                try:
                    chunks.extend(iterable)
                finally:
                    if hasattr(iterable, "close"):
                        iterable.close()
            except Exception:
                log.exception("the emulator failed on %s %s", self.command, self.path)
                self.close_connection = True
                answer[:] = ["500 Internal Server Error", [("Content-Type", "text/plain")]]
                chunks[:] = [b"Internal Server Error"]
            status, headers = answer
            code_text, _, reason = status.partition(" ")
            self._answer(int(code_text), reason, headers, b"".join(chunks))

        def _answer(self, code: int, reason: str, headers: list[tuple[str, str]], payload: bytes) -> None:
            bodiless = self.command == "HEAD" or code in BODILESS_STATUSES or 100 <= code < 200
            self.send_response(code, reason)
            for name, value in headers:
                lowered = name.lower()
                if lowered in ("connection", "transfer-encoding") or (lowered == "content-length" and not bodiless):
                    continue
                self.send_header(name, value)
            if not bodiless:
                self.send_header("Content-Length", str(len(payload)))
            if self.close_connection:  # the client asked for it, or the application failed
                self.send_header("Connection", "close")
            self.end_headers()
            if not bodiless and payload:
                self.wfile.write(payload)

    KeepAliveRequestHandler.__name__ = KeepAliveRequestHandler.__qualname__ = f"KeepAlive{handler.__name__}"
    return KeepAliveRequestHandler


def _read_body(environ: dict[str, Any]) -> bytes:
    """The request's whole body: by Content-Length, or dechunked; nothing is left on the connection."""
    stream = environ["wsgi.input"]
    if isinstance(stream, DechunkedInput):
        return stream.read()
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return stream.read(length) if length > 0 else b""
