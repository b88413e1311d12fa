"""A local Square sandbox: the Payments and Refunds endpoints Nozzly calls, as the squareup SDK sends them.

Run: python -m localcloud.payments.square_sandbox --port P --token T --signature-key K --notification-url U.
Endpoints: POST /v2/payments (CreatePayment), GET /v2/payments/{id} (GetPayment), POST /v2/payments/{id}/cancel
(CancelPayment), POST /v2/refunds (RefundPayment); `Authorization: Bearer <token>` required. What they do:
square_payments.py; the signed `payment.updated` notifications every change sends: square_notifications.py.
GET /v1/square.js: a stand-in for the Web Payments SDK's browser library (square_web_sdk.js), whose tokenize()
turns Square's sandbox test cards into the sandbox's nonces.
OAuth (a store's own seller account): localcloud/payments/square_oauth_peer.py; a merchant's access token is
accepted wherever the platform's is.
`make run` keeps payments, refunds, idempotent answers, undelivered notifications and OAuth grants between runs
(peer_state.keep_square); otherwise state is in memory.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from localcloud.payments.peer_state import keep_square
from localcloud.payments.square_oauth_peer import OAuthRefused, OAuthServer
from localcloud.payments.square_payments import Refused, Sandbox, square_error

WEB_SDK = Path(__file__).with_name("square_web_sdk.js")


def handler_for(sandbox: Sandbox, given: OAuthServer | None = None) -> type[BaseHTTPRequestHandler]:
    oauth = given or OAuthServer("", "")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the gateway logs requests
            pass

        def _answer(self, status: int, body: dict[str, Any] | list[Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _script(self, data: bytes) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/javascript")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0].rstrip("/")
            if path == "/_nozzly/ping":
                return self._answer(200, {"ok": True})
            if path == "/_nozzly/deliveries":
                return self._answer(200, sandbox.deliveries)
            if self.command == "GET" and path == "/v1/square.js":
                return self._script(WEB_SDK.read_bytes())
            if path.startswith("/oauth2/") or path == "/v2/locations":
                return self._oauth(path, raw)
            merchant = oauth.merchant(self.headers.get("authorization"))
            if self.headers.get("authorization") != f"Bearer {sandbox.token}" and merchant is None:
                return self._answer(
                    401,
                    {
                        "errors": [
                            square_error("AUTHENTICATION_ERROR", "UNAUTHORIZED", "The access token is not valid.")
                        ]
                    },
                )
            try:
                body = json.loads(raw or b"{}")
                status, answer = self._route(path, body)
            except Refused as refused:
                status, answer = refused.status, {"errors": refused.errors}
            except json.JSONDecodeError:
                status, answer = (
                    400,
                    {"errors": [square_error("INVALID_REQUEST_ERROR", "BAD_REQUEST", "The body is not JSON.")]},
                )
            self._answer(status, answer)

        def _oauth(self, path: str, raw: bytes) -> None:
            try:
                if self.command == "GET" and path == "/oauth2/authorize":
                    target = oauth.authorize(self.path.partition("?")[2])
                    self.send_response(302)
                    self.send_header("location", target)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return None
                if self.command == "GET" and path == "/v2/locations":
                    merchant = oauth.merchant(self.headers.get("authorization"))
                    if merchant is None:
                        raise OAuthRefused(401, "UNAUTHORIZED", "The access token is not valid.")
                    return self._answer(200, oauth.locations(merchant))
                body = json.loads(raw or b"{}")
                if self.command == "POST" and path == "/oauth2/token":
                    return self._answer(200, oauth.token(body))
                if self.command == "POST" and path == "/oauth2/revoke":
                    return self._answer(200, oauth.revoke(body, self.headers.get("authorization")))
                raise OAuthRefused(404, "NOT_FOUND", f"{self.command} {path} is not part of the local sandbox.")
            except OAuthRefused as refused:
                return self._answer(refused.status, refused.body())

        def _route(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            parts = path.strip("/").split("/")
            if self.command == "POST" and path == "/v2/payments":
                return sandbox.idempotent("payments", body, sandbox.create_payment)
            if self.command == "POST" and path == "/v2/refunds":
                return sandbox.idempotent("refunds", body, sandbox.refund_payment)
            if self.command == "GET" and len(parts) == 3 and parts[:2] == ["v2", "payments"]:
                return 200, sandbox.get_payment(parts[2])
            if self.command == "POST" and len(parts) == 4 and parts[:2] == ["v2", "payments"] and parts[3] == "cancel":
                return 200, sandbox.cancel_payment(parts[2])
            raise Refused(
                404,
                square_error(
                    "INVALID_REQUEST_ERROR", "NOT_FOUND", f"{self.command} {path} is not part of the local sandbox."
                ),
            )

        do_GET = do_POST = _serve

    return Handler


def serve(port: int, token: str, signature_key: str, notification_url: str) -> ThreadingHTTPServer:
    """A running sandbox (in a thread); shut it down with .shutdown()."""
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(Sandbox(token, signature_key, notification_url)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--signature-key", required=True)
    parser.add_argument("--notification-url", required=True)
    parser.add_argument("--application-id", default="")
    parser.add_argument("--application-secret", default="")
    args = parser.parse_args()
    sandbox = Sandbox(args.token, args.signature_key, args.notification_url)
    oauth = OAuthServer(args.application_id, args.application_secret)
    saved = keep_square(sandbox, oauth)  # restored now; saved periodically and at the end
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(sandbox, oauth))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # `make run` stops its peers with SIGTERM
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stop.wait()
    httpd.shutdown()
    if saved is not None:
        saved.save()


if __name__ == "__main__":
    main()
