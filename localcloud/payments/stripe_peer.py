"""localstripe, extended with what Nozzly calls and localstripe lacks; run: python -m localcloud.payments.stripe_peer.

Added on top of localstripe (a stateful fake Stripe, PyPI):
- Idempotency-Key on every POST, as Stripe keeps it: the same key and body replays the first answer, the same
  key with another body is a 400 idempotency_error.
- PaymentIntent confirm with `payment_method` (what Stripe.js sends when Elements confirms a card).
- Checkout Sessions: create, retrieve, expire, and a hosted page at the session's `url` whose buttons pay with
  a test card (POST .../complete) and send a signed `checkout.session.completed`.
- Test cards decline when charged, as on Stripe: 4000000000000002 (pm_card_visa_chargeDeclined) and others.
- Stripe Connect (stripe_connect_peer.py) and Stripe Billing: subscriptions, invoices, portal (stripe_billing_peer.py).
- State in memory only (localstripe pickles to a shared /tmp file otherwise). Stripe.js (/js.stripe.com/v3/):
  localstripe's stand-in plus stripe_js_addition.js (labelled card fields; confirmCardPayment creates a
  PaymentMethod with the publishable key, as Stripe.js does, and confirms the PaymentIntent with it).
Webhooks go to --webhook-url, signed with --webhook-secret by localstripe itself (Stripe-Signature, v1).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError
from localstripe.webhooks import register_webhook, schedule_webhook

from localcloud.payments import stripe_billing_peer
from localcloud.payments import stripe_connect_peer as connect
from localcloud.payments.peer_state import keep_stripe

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Declined when charged (Stripe's generic, insufficient-funds, lost, stolen, expired, CVC, processing cards).
DECLINED_WHEN_CHARGED = frozenset(
    {
        "4000000000000002",
        "4000000000009995",
        "4000000000009987",
        "4000000000009979",
        "4000000000000069",
        "4000000000000127",
        "4000000000000119",
    }
)
# Stripe's test PaymentMethod ids localstripe does not know.
TEST_PAYMENT_METHODS = {
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_authenticationRequired": "4000002500003155",
    "pm_card_threeDSecure2Required": "4000000000003220",
}


@cache
def stripe_js() -> str:
    """localstripe's Stripe.js stand-in, then Nozzly's addition (it replaces the card element and the confirm)."""
    import localstripe

    base = (Path(localstripe.__file__).parent / "localstripe-v3.js").read_text()
    return base + (Path(__file__).parent / "stripe_js_addition.js").read_text()


def _in_memory() -> None:
    resources.Store.dump_to_disk = lambda self: None
    resources.Store.try_load_from_disk = lambda self: None


def _stripe_like_cards() -> None:
    charging_declined = resources.PaymentMethod._charging_is_declined

    def declined(self: Any) -> bool:
        return bool(charging_declined(self)) or (
            self.type == "card" and getattr(self, "_card_number", None) in DECLINED_WHEN_CHARGED
        )

    resources.PaymentMethod._charging_is_declined = declined
    canonical = resources.PaymentMethod._try_get_canonical_test_article.__func__

    def test_article(cls: Any, pm_id: str) -> Any:
        number = TEST_PAYMENT_METHODS.get(pm_id)
        if number:
            card = {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"}
            return resources.PaymentMethod(type="card", card=card)
        return canonical(cls, pm_id)

    resources.PaymentMethod._try_get_canonical_test_article = classmethod(test_article)


class _Exported:
    """What localstripe's Event needs of its data: an _export()."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def _export(self, expand: Any = None) -> dict[str, Any]:
        return json.loads(json.dumps(self._data))  # type: ignore[no-any-return]


def _send(event_type: str, data: dict[str, Any]) -> None:
    schedule_webhook(resources.Event(event_type, _Exported(data)))


@dataclass
class Remembered:
    fingerprint: tuple[str, bytes]
    status: int
    body: bytes


class Peer:
    def __init__(self, public_url: str) -> None:
        self.public_url = public_url
        self.sessions: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, Remembered] = {}
        self.in_flight: set[str] = set()

    # ---------------------------------------------------------------- middleware (outermost)
    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if request.path.startswith("/_nozzly/"):
                return await self._pages(request)
            if request.path in ("/js.stripe.com/v3/", "/v1/payment_methods") and server.get_api_key(request) is None:
                return await self._browser(request, handler)
            key = request.headers.get("Idempotency-Key")
            if request.method == "POST" and key and request.path.startswith("/v1/"):
                return await self._idempotent(request, handler, key)
            return await self._api(request, handler)
        except UserError as exc:
            answer: web.StreamResponse = exc.to_response()
            return answer

    async def _idempotent(self, request: web.Request, handler: Handler, key: str) -> web.StreamResponse:
        fingerprint = (request.path, await request.read())
        seen = self.idempotency.get(key)
        if seen is not None:
            if seen.fingerprint != fingerprint:
                return _error(
                    400,
                    "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                )
            return web.Response(
                status=seen.status,
                body=seen.body,
                content_type="application/json",
                headers={"Idempotent-Replayed": "true", "Idempotency-Key": key},
            )
        if key in self.in_flight:
            return _error(
                409, "idempotency_error", "There is currently another in-progress request using this Idempotency Key."
            )
        self.in_flight.add(key)
        try:
            response = await self._api(request, handler)
        finally:
            self.in_flight.discard(key)
        if isinstance(response, web.Response) and response.status < 500 and response.body is not None:
            body = response.body if isinstance(response.body, bytes) else bytes(response.text or "", "utf-8")
            self.idempotency[key] = Remembered(fingerprint, response.status, body)
        return response

    async def _api(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path, method = request.path, request.method
        if path.startswith(("/v1/accounts", "/v1/account_links")):
            return await self._connect(request)
        if path.startswith("/v1/checkout/sessions"):
            if server.get_api_key(request) is None:
                raise UserError(401, "Unauthorized")
            parts = path.rstrip("/").split("/")[4:]  # after /v1/checkout/sessions
            if method == "POST" and not parts:
                return _json(self.create_session(await server.get_post_data(request) or {}))
            if method == "GET" and len(parts) == 1:
                return _json(self.session(parts[0]))
            if method == "POST" and len(parts) == 2 and parts[1] == "expire":
                return _json(self.expire(parts[0]))
            raise UserError(404, "Not Found")
        if method == "POST" and path.startswith("/v1/payment_intents/") and path.endswith("/confirm"):
            data = await server.get_post_data(request, remove_auth=False) or {}  # Stripe.js sends its `key`
            if data.get("payment_method"):
                if server.get_api_key(request) is None and not str(data.get("key", "")).startswith("pk_"):
                    raise UserError(401, "Unauthorized")
                return _json(self.confirm(path.split("/")[3], str(data["payment_method"])))
        return await handler(request)

    async def _connect(self, request: web.Request) -> web.StreamResponse:
        if server.get_api_key(request) is None:
            raise UserError(401, "Unauthorized")
        parts = request.path.rstrip("/").split("/")[2:]  # after /v1
        if request.method == "POST" and parts == ["accounts"]:
            return _json(connect.public(connect.create_account(await server.get_post_data(request) or {})))
        if request.method == "GET" and len(parts) == 2 and parts[0] == "accounts":
            return _json(connect.public(connect.account(parts[1])))
        if request.method == "POST" and parts == ["account_links"]:
            return _json(connect.account_link(await server.get_post_data(request) or {}, self.public_url))
        raise UserError(404, "Not Found")

    # ---------------------------------------------------------------- Stripe.js: a card entered in the page
    async def _browser(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "GET" and request.path == "/js.stripe.com/v3/":
            return web.Response(text=stripe_js(), content_type="application/javascript")
        if request.method == "POST" and request.path == "/v1/payment_methods":
            return _json(self.card_payment_method(await server.get_post_data(request, remove_auth=False) or {}))
        return await handler(request)

    @staticmethod
    def card_payment_method(data: dict[str, Any]) -> dict[str, Any]:
        """What Stripe.js does with the publishable key: a PaymentMethod from the card's fields."""
        if not str(data.get("key", "")).startswith("pk_"):
            raise UserError(401, "Unauthorized")
        given = data.get("card")
        card: dict[str, Any] = given if isinstance(given, dict) else {}
        fields = {k: str(card.get(k, "")) for k in ("number", "exp_month", "exp_year", "cvc")}
        try:
            method = resources.PaymentMethod._api_create(type="card", card=fields)
        except UserError:
            raise UserError(402, "Your card details are not valid.", {"type": "card_error"}) from None
        return method._export()  # type: ignore[no-any-return]

    # ---------------------------------------------------------------- PaymentIntent confirm with a card
    def confirm(self, intent_id: str, payment_method: str) -> dict[str, Any]:
        intent = resources.PaymentIntent._api_retrieve(intent_id)
        resources.PaymentMethod._api_retrieve(payment_method)  # 404 for an unknown one
        if intent.status not in ("requires_payment_method", "requires_confirmation"):
            raise UserError(400, f"This PaymentIntent's status is {intent.status}; it cannot be confirmed.")
        intent.payment_method = payment_method
        intent.latest_charge = None
        intent._authentication_failed = False
        intent._confirm(on_failure_now=intent._report_failure)  # a decline raises the 402 card error
        return intent._export()  # type: ignore[no-any-return]

    # ---------------------------------------------------------------- Checkout Sessions
    def create_session(self, data: dict[str, Any]) -> dict[str, Any]:
        items = data.get("line_items") or []
        if data.get("mode") != "payment" or not items or not data.get("success_url"):
            raise UserError(400, "mode=payment, line_items and success_url are required")
        try:
            currency = str(items[0]["price_data"]["currency"])
            total = sum(int(i["price_data"]["unit_amount"]) * int(i.get("quantity", 1)) for i in items)
        except (KeyError, TypeError, ValueError):
            raise UserError(400, "line_items need price_data with currency and unit_amount") from None
        session_id = "cs_test_" + secrets.token_hex(16)
        now = int(time.time())
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "amount_subtotal": total,
            "currency": currency,
            "client_reference_id": data.get("client_reference_id"),
            "metadata": data.get("metadata") or {},
            "payment_intent": None,
            "success_url": data["success_url"],
            "cancel_url": data.get("cancel_url"),
            "url": f"{self.public_url}/_nozzly/checkout/{session_id}",
            "created": now,
            "expires_at": now + 24 * 3600,
            "livemode": False,
            "_intent_metadata": (data.get("payment_intent_data") or {}).get("metadata") or {},
            "_intent_connect": {
                k: v
                for k, v in (data.get("payment_intent_data") or {}).items()
                if k in ("transfer_data", "application_fee_amount", "on_behalf_of")
            },
        }
        self.sessions[session_id] = session
        return self._public(session)

    def session(self, session_id: str) -> dict[str, Any]:
        return self._public(self._session(session_id))

    def _session(self, session_id: str) -> dict[str, Any]:
        found = self.sessions.get(session_id)
        if found is None:
            raise UserError(404, f"No such checkout.session: '{session_id}'")
        return found

    @staticmethod
    def _public(session: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in session.items() if not k.startswith("_")}

    def expire(self, session_id: str) -> dict[str, Any]:
        session = self._session(session_id)
        if session["status"] != "open":
            raise UserError(400, f"Only open sessions can be expired; this one is {session['status']}.")
        session["status"] = "expired"
        _send("checkout.session.expired", self._public(session))
        return self._public(session)

    def complete(self, session_id: str, payment_method: str) -> dict[str, Any]:
        """The shopper pays on the hosted page: a PaymentIntent charged with the card, then the session event."""
        session = self._session(session_id)
        if session["status"] != "open":
            raise UserError(400, f"This session is {session['status']}.")
        intent = resources.PaymentIntent._api_create(
            amount=session["amount_total"],
            currency=session["currency"],
            metadata=dict(session["_intent_metadata"]),
            payment_method=payment_method,
            confirm=True,
            **session["_intent_connect"],
        )  # a declined card raises the 402 card error: the page shows it and the session stays open
        if intent.status != "succeeded":
            raise UserError(
                402, f"The payment needs more: {intent.status}", {"code": "payment_intent_" + intent.status}
            )
        session.update(status="complete", payment_status="paid", payment_intent=intent.id)
        _send("checkout.session.completed", self._public(session))
        return self._public(session)

    # ---------------------------------------------------------------- pages a person (or a test) opens
    async def _pages(self, request: web.Request) -> web.StreamResponse:
        parts = request.path.strip("/").split("/")[1:]  # after _nozzly
        if parts == ["ping"]:
            return web.json_response({"ok": True})
        if request.method == "GET" and len(parts) == 2 and parts[0] == "connect":
            return web.Response(text=connect.onboarding_page(parts[1]), content_type="text/html")
        if request.method == "POST" and len(parts) == 3 and parts[0] == "accounts":
            change = {"complete": connect.complete, "restrict": connect.restrict}.get(parts[2])
            if change is None:
                raise UserError(404, "Not Found")
            account = connect.public(change(parts[1]))
            _send("account.updated", account)
            if "text/html" in request.headers.get("Accept", ""):
                raise web.HTTPSeeOther(connect.ACCOUNTS[parts[1]].get("_return_url") or f"/_nozzly/connect/{parts[1]}")
            return _json(account)
        if len(parts) >= 2 and parts[0] == "checkout":
            session_id = parts[1]
            if request.method == "GET" and len(parts) == 2:
                return web.Response(text=_page(self._session(session_id)), content_type="text/html")
            if request.method == "POST" and parts[2:] == ["complete"]:
                form = await request.post()
                card = str(form.get("payment_method") or request.query.get("payment_method") or "pm_card_visa")
                wants_html = "text/html" in request.headers.get("Accept", "")
                try:
                    session = self.complete(session_id, card)
                except UserError as exc:
                    if wants_html:
                        message = exc.body["error"].get("message", "declined")
                        return web.Response(
                            status=402, text=_page(self._session(session_id), message), content_type="text/html"
                        )
                    raise
                if wants_html:
                    raise web.HTTPSeeOther(session["success_url"])
                return _json(session)
        raise UserError(404, "Not Found")


def _json(data: Any) -> web.StreamResponse:
    response: web.StreamResponse = server.json_response(data)
    return response


def _error(status: int, kind: str, message: str) -> web.Response:
    return web.json_response({"error": {"type": kind, "message": message}}, status=status)


def _page(session: dict[str, Any], message: str = "") -> str:
    amount = f"{session['amount_total']} {session['currency'].upper()} (minor units)"
    notice = f"<p style='color:#b00'>{html.escape(message)}</p>" if message else ""
    action = f"/_nozzly/checkout/{session['id']}/complete"
    cards = [
        ("pm_card_visa", "Pay with 4242 4242 4242 4242 (succeeds)"),
        ("pm_card_visa_chargeDeclined", "Pay with 4000 0000 0000 0002 (declined)"),
    ]
    buttons = "".join(
        f"<form method=post action='{action}'><input type=hidden name=payment_method value='{pm}'>"
        f"<button>{html.escape(label)}</button></form>"
        for pm, label in cards
    )
    cancel = session.get("cancel_url") or session["success_url"]
    return (
        "<!doctype html><title>Local Stripe Checkout</title><h1>Local Stripe Checkout</h1>"
        f"<p>Session {html.escape(session['id'])}: {html.escape(session['status'])}, {html.escape(amount)}</p>"
        f"{notice}{buttons if session['status'] == 'open' else ''}<p><a href='{html.escape(cancel)}'>Cancel</a></p>"
    )


def build(port: int, webhook_url: str, webhook_secret: str) -> web.Application:
    _in_memory()
    _stripe_like_cards()
    connect.patch_resources()
    connect.ACCOUNTS.clear()
    resources.store.clear()
    peer = Peer(f"http://127.0.0.1:{port}")
    server.app.middlewares.insert(0, peer.middleware)
    register_webhook("nozzly", webhook_url, webhook_secret, None)
    app: web.Application = server.app
    stripe_billing_peer.install(app, peer.public_url, webhook_url)  # outermost: billing's own routes and events
    keep_stripe(app, peer)  # `make run` keeps accounts, payments and sessions between runs
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--webhook-url", required=True)
    parser.add_argument("--webhook-secret", required=True)
    args = parser.parse_args()
    app = build(args.port, args.webhook_url, args.webhook_secret)
    asyncio.set_event_loop(asyncio.new_event_loop())
    web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, print=None, handle_signals=True)


if __name__ == "__main__":
    main()
