"""Stripe Checkout Sessions at the local Stripe peer (stripe_peer.py routes to them).

Create, retrieve and expire as the stripe SDK calls them; the session's `url` is a hosted page whose buttons pay
with a test card (POST <url>/complete) and send a signed `checkout.session.completed`, or fail with the card's
decline and leave the session open. Events go out through localstripe's webhooks, signed by localstripe.
"""

from __future__ import annotations

import html
import json
import secrets
import time
from typing import Any

from localstripe import resources
from localstripe.errors import UserError
from localstripe.webhooks import schedule_webhook


class _Exported:
    """What localstripe's Event needs of its data: an _export()."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def _export(self, expand: Any = None) -> dict[str, Any]:
        return json.loads(json.dumps(self._data))  # type: ignore[no-any-return]


def send_event(event_type: str, data: dict[str, Any]) -> None:
    """A signed event to the registered webhooks, as localstripe sends its own."""
    schedule_webhook(resources.Event(event_type, _Exported(data)))


class CheckoutSessions:
    def __init__(self, public_url: str) -> None:
        self.public_url = public_url
        self.sessions: dict[str, dict[str, Any]] = {}

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
        send_event("checkout.session.expired", self._public(session))
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
        send_event("checkout.session.completed", self._public(session))
        return self._public(session)

    def page(self, session_id: str, message: str = "") -> str:
        """The hosted page of the session, with the card's decline when there was one."""
        return _page(self._session(session_id), message)


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
