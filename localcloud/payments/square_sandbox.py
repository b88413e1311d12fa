"""A local Square sandbox: the Payments and Refunds endpoints Nozzly calls, as the squareup SDK sends them.

Run: python -m localcloud.payments.square_sandbox --port P --token T --signature-key K --notification-url U.
Endpoints: POST /v2/payments (CreatePayment), GET /v2/payments/{id} (GetPayment), POST /v2/payments/{id}/cancel
(CancelPayment), POST /v2/refunds (RefundPayment); `Authorization: Bearer <token>` required. Card tokens are
Square's documented sandbox nonces (SANDBOX_NONCES). Every change to a payment posts a `payment.updated`
notification to the notification URL, signed as Square signs them: x-square-hmacsha256-signature =
base64(HMAC-SHA256(signature key, notification URL + body)). State is in memory.
GET /v1/square.js: a stand-in for the Web Payments SDK's browser library (square_web_sdk.js), whose tokenize()
turns Square's sandbox test cards into the nonces above.
OAuth (a store's own seller account): localcloud/payments/square_oauth_peer.py; a merchant's access token is
accepted wherever the platform's is.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import queue
import secrets
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from localcloud.payments.square_oauth_peer import OAuthRefused, OAuthServer

# Square's sandbox payment tokens (developer.squareup.com, "Sandbox Payments"): the outcome each one produces.
SANDBOX_NONCES: dict[str, str | None] = {
    "cnon:card-nonce-ok": None,
    "cnon:card-nonce-declined": "GENERIC_DECLINE",
    "cnon:card-nonce-rejected-cvv": "CVV_FAILURE",
    "cnon:card-nonce-rejected-postalcode": "ADDRESS_VERIFICATION_FAILURE",
    "cnon:card-nonce-rejected-expiration": "INVALID_EXPIRATION",
    # Needs buyer verification (3-D Secure): fails unless CreatePayment carries verifyBuyer()'s token.
    "cnon:card-nonce-requires-verification": "CARD_DECLINED_VERIFICATION_REQUIRED",
}
MERCHANT_ID = "MLNOZZLYLOCAL"
WEB_SDK = Path(__file__).with_name("square_web_sdk.js")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _error(category: str, code: str, detail: str, field: str | None = None) -> dict[str, Any]:
    error = {"category": category, "code": code, "detail": detail}
    return error | ({"field": field} if field else {})


class Refused(Exception):
    def __init__(self, status: int, *errors: dict[str, Any], payment: dict[str, Any] | None = None) -> None:
        super().__init__(errors[0]["code"])
        self.status, self.errors, self.payment = status, list(errors), payment


class Sandbox:
    def __init__(self, token: str, signature_key: str, notification_url: str) -> None:
        self.token, self.key, self.url = token, signature_key, notification_url
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, int, dict[str, Any]]] = {}
        self.deliveries: list[dict[str, Any]] = []  # what was posted, for people and tests
        self.lock = threading.RLock()
        self.outbox: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._deliver_forever, daemon=True).start()

    # ---------------------------------------------------------------- endpoints
    def idempotent(self, endpoint: str, body: dict[str, Any], work: Any) -> tuple[int, dict[str, Any]]:
        key = str(body.get("idempotency_key") or "")
        if not key:
            raise Refused(
                400, _error("INVALID_REQUEST_ERROR", "MISSING_REQUIRED_PARAMETER", "idempotency_key", "idempotency_key")
            )
        fingerprint = json.dumps(body, sort_keys=True)
        with self.lock:
            seen = self.idempotency.get((endpoint, key))
            if seen is not None:
                if seen[0] != fingerprint:
                    raise Refused(
                        400,
                        _error(
                            "INVALID_REQUEST_ERROR",
                            "IDEMPOTENCY_KEY_REUSED",
                            "The idempotency key can only be retried with the same request data.",
                            "idempotency_key",
                        ),
                    )
                return seen[1], seen[2]
            try:
                answer: tuple[int, dict[str, Any]] = (200, work(body))
            except Refused as refused:
                answer = (
                    refused.status,
                    {"errors": refused.errors} | ({"payment": refused.payment} if refused.payment else {}),
                )
            self.idempotency[(endpoint, key)] = (fingerprint, *answer)
            return answer

    def create_payment(self, body: dict[str, Any]) -> dict[str, Any]:
        money = body.get("amount_money") or {}
        if not isinstance(money.get("amount"), int) or money["amount"] <= 0 or not money.get("currency"):
            raise Refused(
                400, _error("INVALID_REQUEST_ERROR", "INVALID_VALUE", "amount_money must be positive", "amount_money")
            )
        source = str(body.get("source_id") or "")
        if source not in SANDBOX_NONCES:
            raise Refused(
                400, _error("INVALID_REQUEST_ERROR", "INVALID_CARD_DATA", "Unknown sandbox card token", "source_id")
            )
        decline = SANDBOX_NONCES[source]
        if decline == "CARD_DECLINED_VERIFICATION_REQUIRED" and body.get("verification_token"):
            decline = None
        autocomplete = body.get("autocomplete", True) is not False
        status = "FAILED" if decline else ("COMPLETED" if autocomplete else "APPROVED")
        payment_id = secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
        payment: dict[str, Any] = {
            "id": payment_id,
            "created_at": _now(),
            "updated_at": _now(),
            "amount_money": dict(money),
            "total_money": dict(money),
            "approved_money": dict(money) if not decline else {"amount": 0, "currency": money["currency"]},
            "status": status,
            "delay_action": "CANCEL",
            "source_type": "CARD",
            "card_details": {
                "status": {"COMPLETED": "CAPTURED", "APPROVED": "AUTHORIZED", "FAILED": "FAILED"}[status],
                "card": {"card_brand": "VISA", "last_4": "1111", "exp_month": 12, "exp_year": 2034},
                "entry_method": "KEYED",
            },
            "location_id": body.get("location_id") or "LNOZZLYLOCAL01",
            "reference_id": body.get("reference_id"),
            "note": body.get("note"),
            "version_token": secrets.token_urlsafe(12),
            "application_details": {"square_product": "ECOMMERCE_API", "application_id": "sandbox-nozzly-local"},
        }
        payment = {k: v for k, v in payment.items() if v is not None}
        self.payments[payment_id] = payment
        self._notify(payment)
        if decline:
            raise Refused(
                400, _error("PAYMENT_METHOD_ERROR", decline, f"Authorization error: '{decline}'"), payment=payment
            )
        return {"payment": payment}

    def get_payment(self, payment_id: str) -> dict[str, Any]:
        with self.lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                raise Refused(
                    404, _error("INVALID_REQUEST_ERROR", "NOT_FOUND", f"Could not find payment with id: {payment_id}")
                )
            return {"payment": payment}

    def cancel_payment(self, payment_id: str) -> dict[str, Any]:
        with self.lock:
            payment = self.get_payment(payment_id)["payment"]
            if payment["status"] != "APPROVED":
                raise Refused(
                    400,
                    _error(
                        "INVALID_REQUEST_ERROR",
                        "BAD_REQUEST",
                        f"Payment {payment_id} has status {payment['status']}; only APPROVED payments can be canceled.",
                    ),
                )
            payment.update(status="CANCELED", updated_at=_now())
            payment["card_details"]["status"] = "VOIDED"
            self._notify(payment)
            return {"payment": payment}

    def refund_payment(self, body: dict[str, Any]) -> dict[str, Any]:
        payment = self.get_payment(str(body.get("payment_id") or ""))["payment"]
        money = body.get("amount_money") or {}
        if payment["status"] != "COMPLETED":
            raise Refused(
                400,
                _error(
                    "INVALID_REQUEST_ERROR",
                    "BAD_REQUEST",
                    f"Payment has status {payment['status']}; only COMPLETED payments can be refunded.",
                ),
            )
        if money.get("currency") != payment["amount_money"]["currency"]:
            raise Refused(
                400,
                _error(
                    "INVALID_REQUEST_ERROR",
                    "INVALID_VALUE",
                    "The refund's currency differs from the payment's.",
                    "amount_money.currency",
                ),
            )
        refunded = sum(
            r["amount_money"]["amount"]
            for r in self.refunds.values()
            if r["payment_id"] == payment["id"] and r["status"] != "FAILED"
        )
        amount = money.get("amount")
        if not isinstance(amount, int) or amount <= 0 or amount > payment["amount_money"]["amount"] - refunded:
            raise Refused(
                400,
                _error(
                    "INVALID_REQUEST_ERROR",
                    "VALUE_TOO_HIGH",
                    "The refund exceeds what remains of the payment.",
                    "amount_money.amount",
                ),
            )
        refund = {
            "id": f"{payment['id']}_{secrets.token_hex(8)}",
            "status": "PENDING",
            "amount_money": {"amount": amount, "currency": money["currency"]},
            "payment_id": payment["id"],
            "location_id": payment["location_id"],
            "reason": body.get("reason"),
            "created_at": _now(),
            "updated_at": _now(),
        }
        refund = {k: v for k, v in refund.items() if v is not None}
        self.refunds[refund["id"]] = refund
        # Square completes a card refund a little later and then tells the payment's webhooks.
        threading.Timer(0.3, self._complete_refund, args=(refund["id"],)).start()
        return {"refund": dict(refund)}

    def _complete_refund(self, refund_id: str) -> None:
        with self.lock:
            refund = self.refunds[refund_id]
            refund.update(status="COMPLETED", updated_at=_now())
            payment = self.payments[refund["payment_id"]]
            total = payment.get("refunded_money", {}).get("amount", 0) + refund["amount_money"]["amount"]
            payment["refunded_money"] = {"amount": total, "currency": refund["amount_money"]["currency"]}
            payment["refund_ids"] = [*payment.get("refund_ids", []), refund_id]
            payment["updated_at"] = _now()
            self._notify(payment)

    # ---------------------------------------------------------------- signed notifications
    def _notify(self, payment: dict[str, Any]) -> None:
        event = {
            "merchant_id": MERCHANT_ID,
            "type": "payment.updated",
            "event_id": str(uuid.uuid4()),
            "created_at": _now(),
            "data": {"type": "payment", "id": payment["id"], "object": {"payment": json.loads(json.dumps(payment))}},
        }
        self.outbox.put((payment["id"], event))

    def sign(self, body: str) -> str:
        digest = hmac.new(self.key.encode(), (self.url + body).encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def _deliver_forever(self) -> None:
        while True:
            _, event = self.outbox.get()
            body = json.dumps(event)
            record = {"event_id": event["event_id"], "type": event["type"], "status": None}
            self.deliveries.append(record)
            for delay in (0, 1, 2, 4):  # Square retries failed deliveries (for a day; here briefly)
                time.sleep(delay)
                request = urllib.request.Request(
                    self.url,
                    data=body.encode(),
                    method="POST",
                    headers={
                        "content-type": "application/json",
                        "x-square-hmacsha256-signature": self.sign(body),
                        "square-version": "2026-09-16",
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        record["status"] = answer.status
                except urllib.error.HTTPError as failed:
                    record["status"] = failed.code
                except OSError:
                    record["status"] = "unreachable"
                if record["status"] == 200:
                    break


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
                    401, {"errors": [_error("AUTHENTICATION_ERROR", "UNAUTHORIZED", "The access token is not valid.")]}
                )
            try:
                body = json.loads(raw or b"{}")
                status, answer = self._route(path, body)
            except Refused as refused:
                status, answer = refused.status, {"errors": refused.errors}
            except json.JSONDecodeError:
                status, answer = (
                    400,
                    {"errors": [_error("INVALID_REQUEST_ERROR", "BAD_REQUEST", "The body is not JSON.")]},
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
                _error(
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
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(sandbox, oauth))
    with contextlib.suppress(KeyboardInterrupt):
        httpd.serve_forever()


if __name__ == "__main__":
    main()
