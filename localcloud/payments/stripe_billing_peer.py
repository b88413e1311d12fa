"""Stripe Billing for the local Stripe peer (localstripe's subscriptions predate Prices and Checkout): products,
prices with lookup keys, Checkout Sessions in subscription mode, subscriptions, invoices, Customer Portal
sessions, and signed billing events sent to the billing webhook in order. Customers stay localstripe's.

- `POST /v1/products`, `POST /v1/prices` (with `product_data`, `recurring`, `lookup_key`, `transfer_lookup_key`),
  `GET /v1/prices?lookup_keys[]=...`.
- `POST /v1/checkout/sessions` with `mode=subscription`, `GET` it; its `url` is a page here whose buttons pay
  with a test card: `POST /_nozzly/billing/checkout/{id}/complete` (`payment_method`, default pm_card_visa)
  starts the subscription and pays its first invoice (`customer.subscription.created`, `invoice.paid`); a
  declined card answers 402 and starts nothing.
- `POST /v1/billing_portal/sessions`: a page listing the customer's subscriptions, each with a cancel button.
- `GET /v1/subscriptions/{id}`, `GET /v1/invoices/{id}`.
- Test controls: `POST /_nozzly/billing/subscriptions/{id}/renew?outcome=paid|failed` (the next period's invoice
  paid, or its payment failed: `invoice.paid` or `invoice.payment_failed` plus `customer.subscription.updated`),
  `.../cancel` (`customer.subscription.deleted`), `.../trial-will-end`.
Events use the 2025 API shapes: the period on the subscription item, the invoice's subscription and its metadata
under `parent.subscription_details`. They are signed like Stripe (`t=...,v1=HMAC-SHA256(secret, "t.body")`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import aiohttp
from aiohttp import web
from localstripe import server
from localstripe.errors import UserError

from localcloud.payments.config import STRIPE_BILLING_WEBHOOK_SECRET
from localcloud.payments.stripe_billing_pages import checkout_page, portal_page

PERIOD = {"month": 30 * 86_400, "year": 365 * 86_400}
DECLINED = frozenset({"pm_card_visa_chargeDeclined", "pm_card_chargeDeclined"})


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


class BillingPeer:
    def __init__(self, public_url: str, webhook_url: str, secret: str = STRIPE_BILLING_WEBHOOK_SECRET) -> None:
        self.public_url, self.webhook_url, self.secret = public_url, webhook_url, secret
        self.products: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.portals: dict[str, dict[str, Any]] = {}
        self._sending = asyncio.Lock()  # events leave one at a time, in the order they happened

    # ---------------------------------------------------------------- routing
    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            answer = await self._route(request)
        except UserError as exc:
            return exc.to_response()  # type: ignore[no-any-return]
        return answer if answer is not None else await handler(request)

    async def _route(self, request: web.Request) -> web.StreamResponse | None:
        parts, method = request.path.strip("/").split("/"), request.method
        if parts[:2] == ["_nozzly", "billing"]:
            return await self._controls(request, parts[2:])
        if parts[:1] != ["v1"] or not self._api_path(parts[1:]):
            return None
        if server.get_api_key(request) is None:
            raise UserError(401, "Unauthorized")
        data = (await server.get_post_data(request) or {}) if method == "POST" else server.unflatten_data(request.query)
        rest = parts[1:]
        if rest == ["checkout", "sessions"] and method == "POST":
            return _json(self.create_session(data)) if data.get("mode") == "subscription" else None
        if rest[:2] == ["checkout", "sessions"] and len(rest) == 3 and method == "GET":
            return _json(self._found(self.sessions, rest[2], "checkout session")) if rest[2] in self.sessions else None
        routes = {
            ("POST", "products"): lambda: self.create_product(data),
            ("POST", "prices"): lambda: self.create_price(data),
            ("GET", "prices"): lambda: self.list_prices(data),
            ("POST", "billing_portal/sessions"): lambda: self.create_portal(data),
        }
        found = routes.get((method, "/".join(rest)))
        if found is not None:
            return _json(found())
        stores = {"products": self.products, "prices": self.prices, "subscriptions": self.subscriptions}
        if method == "GET" and len(rest) == 2 and rest[0] in (*stores, "invoices"):
            return _json(self._found({**stores, "invoices": self.invoices}[rest[0]], rest[1], rest[0][:-1]))
        raise UserError(404, "Not Found")

    def _api_path(self, rest: list[str]) -> bool:
        return rest[:1] in (["products"], ["prices"], ["subscriptions"], ["invoices"], ["billing_portal"]) or (
            rest[:2] == ["checkout", "sessions"]
        )

    @staticmethod
    def _found(objects: dict[str, dict[str, Any]], object_id: str, kind: str) -> dict[str, Any]:
        if object_id not in objects:
            raise UserError(404, f"No such {kind}: '{object_id}'", {"param": "id"})
        return objects[object_id]

    # ---------------------------------------------------------------- products and prices
    def create_product(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.get("name"):
            raise UserError(400, "Missing required param: name.", {"param": "name"})
        product = {"id": _id("prod"), "object": "product", "name": data["name"], "active": True,
                   "metadata": data.get("metadata") or {}, "created": int(time.time())}  # fmt: skip
        self.products[product["id"]] = product
        return product

    def create_price(self, data: dict[str, Any]) -> dict[str, Any]:
        interval = (data.get("recurring") or {}).get("interval")
        if interval not in PERIOD or not str(data.get("unit_amount", "")).isdigit() or not data.get("currency"):
            raise UserError(400, "a recurring price needs unit_amount, currency and recurring[interval]")
        product = data.get("product") or self.create_product(data.get("product_data") or {})["id"]
        key = data.get("lookup_key")
        taken = [p for p in self.prices.values() if key and p["lookup_key"] == key]
        if taken and str(data.get("transfer_lookup_key")).lower() != "true":
            raise UserError(400, f"A price with lookup key {key} already exists.", {"param": "lookup_key"})
        for old in taken:
            old["lookup_key"] = None
        price = {"id": _id("price"), "object": "price", "active": True, "currency": str(data["currency"]).lower(),
                 "unit_amount": int(data["unit_amount"]), "product": product, "lookup_key": key, "type": "recurring",
                 "recurring": {"interval": interval, "interval_count": 1}, "created": int(time.time())}  # fmt: skip
        self.prices[price["id"]] = price
        return price

    def list_prices(self, query: dict[str, Any]) -> dict[str, Any]:
        keys = query.get("lookup_keys") or []
        keys = list(keys.values()) if isinstance(keys, dict) else [keys] if isinstance(keys, str) else keys
        found = [p for p in self.prices.values() if not keys or p["lookup_key"] in keys]
        found = [p for p in found if str(query.get("active", "")).lower() != "true" or p["active"]]
        return {"object": "list", "url": "/v1/prices", "has_more": False, "data": found[: int(query.get("limit", 10))]}

    # ---------------------------------------------------------------- checkout and portal
    def create_session(self, data: dict[str, Any]) -> dict[str, Any]:
        items = data.get("line_items") or []
        if len(items) != 1 or items[0].get("price") not in self.prices:
            raise UserError(400, "line_items needs exactly one known recurring price", {"param": "line_items"})
        if not str(data.get("customer", "")).startswith("cus_") or not data.get("success_url"):
            raise UserError(400, "customer and success_url are required", {"param": "customer"})
        price, sub_meta = self.prices[items[0]["price"]], (data.get("subscription_data") or {}).get("metadata") or {}
        session_id = _id("cs_test")
        session = {"id": session_id, "object": "checkout.session", "mode": "subscription", "status": "open",
                   "payment_status": "unpaid", "customer": data["customer"], "subscription": None,
                   "client_reference_id": data.get("client_reference_id"), "metadata": data.get("metadata") or {},
                   "success_url": data["success_url"], "cancel_url": data.get("cancel_url"),
                   "amount_total": price["unit_amount"], "currency": price["currency"],
                   "url": f"{self.public_url}/_nozzly/billing/checkout/{session_id}",
                   "_price": price["id"], "_subscription_metadata": sub_meta}  # fmt: skip
        self.sessions[session_id] = session
        return _public(session)

    def create_portal(self, data: dict[str, Any]) -> dict[str, Any]:
        if not str(data.get("customer", "")).startswith("cus_"):
            raise UserError(400, "Missing required param: customer.", {"param": "customer"})
        portal_id = _id("bps")
        portal = {"id": portal_id, "object": "billing_portal.session", "customer": data["customer"],
                  "return_url": data.get("return_url"), "configuration": "bpc_local", "created": int(time.time()),
                  "livemode": False, "locale": None, "on_behalf_of": None, "flow": None,
                  "url": f"{self.public_url}/_nozzly/billing/portal/{portal_id}"}  # fmt: skip
        self.portals[portal_id] = portal
        return portal

    # ---------------------------------------------------------------- the subscription's life
    async def complete(self, session_id: str, payment_method: str) -> dict[str, Any]:
        session = self._found(self.sessions, session_id, "checkout session")
        if session["status"] != "open":
            raise UserError(400, f"checkout session {session_id} is {session['status']}")
        if payment_method in DECLINED:
            raise UserError(
                402, "Your card was declined.", {"code": "card_declined", "decline_code": "generic_decline"}
            )
        now, price = int(time.time()), self.prices[session["_price"]]
        sub = {"id": _id("sub"), "object": "subscription", "customer": session["customer"], "status": "active",
               "metadata": session["_subscription_metadata"], "cancel_at_period_end": False, "trial_end": None,
               "created": now, "latest_invoice": None,
               "items": {"object": "list", "data": [{"id": _id("si"), "object": "subscription_item", "price": price,
                         "quantity": 1, "current_period_start": now,
                         "current_period_end": now + PERIOD[price["recurring"]["interval"]]}]}}  # fmt: skip
        self.subscriptions[sub["id"]] = sub
        session.update(status="complete", payment_status="paid", subscription=sub["id"])
        invoice = self._invoice(sub, paid=True)
        await self._emit(("customer.subscription.created", sub), ("invoice.paid", invoice))
        return _public(session)

    def _invoice(self, sub: dict[str, Any], *, paid: bool) -> dict[str, Any]:
        item = sub["items"]["data"][0]
        price, start, end = item["price"], item["current_period_start"], item["current_period_end"]
        invoice = {"id": _id("in"), "object": "invoice", "customer": sub["customer"],
                   "status": "paid" if paid else "open", "currency": price["currency"],
                   "amount_due": price["unit_amount"], "amount_paid": price["unit_amount"] if paid else 0,
                   "attempt_count": 1, "period_start": start, "period_end": end, "created": int(time.time()),
                   "parent": {"type": "subscription_details", "subscription_details": {
                       "subscription": sub["id"], "metadata": dict(sub["metadata"])}},
                   "lines": {"object": "list", "data": [{"id": _id("il"), "object": "line_item",
                             "amount": price["unit_amount"], "currency": price["currency"],
                             "period": {"start": start, "end": end},
                             "pricing": {"type": "price_details", "price_details": {
                                 "price": price["id"], "product": price["product"]}}}]}}  # fmt: skip
        self.invoices[invoice["id"]] = invoice
        sub["latest_invoice"] = invoice["id"]
        return invoice

    async def renew(self, sub_id: str, outcome: str) -> dict[str, Any]:
        sub = self._found(self.subscriptions, sub_id, "subscription")
        item = sub["items"]["data"][0]
        if outcome == "paid":
            length = PERIOD[item["price"]["recurring"]["interval"]]
            if sub["status"] == "active":  # a past-due renewal paid late keeps the period it was for
                item["current_period_start"], item["current_period_end"] = (
                    item["current_period_end"],
                    item["current_period_end"] + length,
                )
            sub["status"] = "active"
            await self._emit(("invoice.paid", self._invoice(sub, paid=True)), ("customer.subscription.updated", sub))
        elif outcome == "failed":
            sub["status"] = "past_due"
            invoice = self._invoice(sub, paid=False)
            await self._emit(("invoice.payment_failed", invoice), ("customer.subscription.updated", sub))
        else:
            raise UserError(400, "outcome must be paid or failed", {"param": "outcome"})
        return sub

    async def cancel(self, sub_id: str) -> dict[str, Any]:
        sub = self._found(self.subscriptions, sub_id, "subscription")
        sub.update(status="canceled", canceled_at=int(time.time()))
        await self._emit(("customer.subscription.deleted", sub))
        return sub

    # ---------------------------------------------------------------- signed events, in order
    async def _emit(self, *events: tuple[str, dict[str, Any]]) -> None:
        async with self._sending, aiohttp.ClientSession() as client:
            for event_type, data in events:
                created = int(time.time())
                body = json.dumps({"id": _id("evt"), "object": "event", "type": event_type, "created": created,
                                   "api_version": "2025-03-31.basil", "livemode": False, "pending_webhooks": 1,
                                   "data": {"object": json.loads(json.dumps(_public(data)))}})  # fmt: skip
                signature = hmac.new(self.secret.encode(), f"{created}.{body}".encode(), hashlib.sha256).hexdigest()
                headers = {"Content-Type": "application/json", "Stripe-Signature": f"t={created},v1={signature}"}
                try:
                    async with client.post(self.webhook_url, data=body, headers=headers) as answer:
                        await answer.read()
                except aiohttp.ClientError:
                    pass  # as Stripe: the endpoint was down; the test sees the state unchanged

    # ---------------------------------------------------------------- pages and test controls
    async def _controls(self, request: web.Request, parts: list[str]) -> web.StreamResponse:
        wants_html = "text/html" in request.headers.get("Accept", "")
        form = await request.post() if request.method == "POST" else {}
        if request.method == "GET" and len(parts) == 2 and parts[0] == "checkout":
            return web.Response(
                text=checkout_page(self._found(self.sessions, parts[1], "session")), content_type="text/html"
            )
        if request.method == "GET" and len(parts) == 2 and parts[0] == "portal":
            portal = self._found(self.portals, parts[1], "portal session")
            mine = [s for s in self.subscriptions.values() if s["customer"] == portal["customer"]]
            return web.Response(text=portal_page(portal, mine), content_type="text/html")
        if request.method == "POST" and parts[:1] == ["checkout"] and parts[2:] == ["complete"]:
            card = str(form.get("payment_method") or request.query.get("payment_method") or "pm_card_visa")
            session = await self.complete(parts[1], card)
            if wants_html:
                raise web.HTTPSeeOther(session["success_url"])
            return _json(session)
        if request.method == "POST" and parts[:1] == ["subscriptions"] and len(parts) == 3:
            action = parts[2]
            if action == "renew":
                return _json(await self.renew(parts[1], str(form.get("outcome") or request.query.get("outcome", ""))))
            if action == "cancel":
                sub = await self.cancel(parts[1])
                back = str(form.get("return_url") or "")
                if wants_html and back:
                    raise web.HTTPSeeOther(back)
                return _json(sub)
            if action == "trial-will-end":
                sub = self._found(self.subscriptions, parts[1], "subscription")
                await self._emit(("customer.subscription.trial_will_end", sub))
                return _json(sub)
        raise UserError(404, "Not Found")


def _public(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _json(data: Any) -> web.StreamResponse:
    response: web.StreamResponse = server.json_response(data)
    return response


def install(app: web.Application, public_url: str, payments_webhook_url: str) -> BillingPeer:
    """Outermost middleware of the peer's app; billing events go to the billing webhook beside the payments one."""
    peer = BillingPeer(public_url, payments_webhook_url.rsplit("/", 1)[0] + "/stripe-billing")
    app.middlewares.insert(0, peer.middleware)
    return peer
