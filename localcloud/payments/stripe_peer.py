"""localstripe, extended with what Nozzly calls and localstripe lacks; run: python -m localcloud.payments.stripe_peer.

Added on top of localstripe (a stateful fake Stripe, PyPI):
- Idempotency-Key on every POST, as Stripe keeps it: the same key and body replays the first answer, the same
  key with another body is a 400 idempotency_error.
- PaymentIntent confirm with `payment_method` (what Stripe.js sends when Elements confirms a card).
- Checkout Sessions (stripe_checkout_sessions.py): create, retrieve, expire, and a hosted page at the session's
  `url` whose buttons pay with a test card (POST .../complete) and send a signed `checkout.session.completed`.
- Test cards decline when charged, as on Stripe, and Stripe.js (/js.stripe.com/v3/) makes PaymentMethods with
  the publishable key (stripe_cards.py).
- Stripe Connect (stripe_connect_peer.py) and Stripe Billing: subscriptions, invoices, portal (stripe_billing_peer.py).
- State in memory; `make run` keeps it between runs (peer_state.keep_stripe).
Webhooks go to --webhook-url, signed with --webhook-secret by localstripe itself (Stripe-Signature, v1).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError
from localstripe.webhooks import register_webhook

from localcloud.payments import stripe_billing_peer, stripe_cards
from localcloud.payments import stripe_connect_peer as connect
from localcloud.payments.peer_state import keep_stripe
from localcloud.payments.stripe_checkout_sessions import CheckoutSessions, send_event

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Remembered:
    fingerprint: tuple[str, bytes]
    status: int
    body: bytes


class Peer:
    def __init__(self, public_url: str) -> None:
        self.public_url = public_url
        self.checkout = CheckoutSessions(public_url)
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
                return _json(self.checkout.create_session(await server.get_post_data(request) or {}))
            if method == "GET" and len(parts) == 1:
                return _json(self.checkout.session(parts[0]))
            if method == "POST" and len(parts) == 2 and parts[1] == "expire":
                return _json(self.checkout.expire(parts[0]))
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
            return web.Response(text=stripe_cards.stripe_js(), content_type="application/javascript")
        if request.method == "POST" and request.path == "/v1/payment_methods":
            return _json(stripe_cards.card_payment_method(await server.get_post_data(request, remove_auth=False) or {}))
        return await handler(request)

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
            send_event("account.updated", account)
            if "text/html" in request.headers.get("Accept", ""):
                raise web.HTTPSeeOther(connect.ACCOUNTS[parts[1]].get("_return_url") or f"/_nozzly/connect/{parts[1]}")
            return _json(account)
        if len(parts) >= 2 and parts[0] == "checkout":
            session_id = parts[1]
            if request.method == "GET" and len(parts) == 2:
                return web.Response(text=self.checkout.page(session_id), content_type="text/html")
            if request.method == "POST" and parts[2:] == ["complete"]:
                form = await request.post()
                card = str(form.get("payment_method") or request.query.get("payment_method") or "pm_card_visa")
                wants_html = "text/html" in request.headers.get("Accept", "")
                try:
                    session = self.checkout.complete(session_id, card)
                except UserError as exc:
                    if wants_html:
                        message = exc.body["error"].get("message", "declined")
                        return web.Response(
                            status=402, text=self.checkout.page(session_id, message), content_type="text/html"
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


def build(port: int, webhook_url: str, webhook_secret: str) -> web.Application:
    stripe_cards.in_memory()
    stripe_cards.stripe_like_cards()
    connect.patch_resources()
    connect.ACCOUNTS.clear()
    resources.store.clear()
    peer = Peer(f"http://127.0.0.1:{port}")
    server.app.middlewares.insert(0, peer.middleware)
    register_webhook("nozzly", webhook_url, webhook_secret, None)
    app: web.Application = server.app
    billing = stripe_billing_peer.install(app, peer.public_url, webhook_url)  # outermost: billing's routes and events
    keep_stripe(app, peer, billing)  # `make run` keeps accounts, payments, sessions and subscriptions between runs
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
