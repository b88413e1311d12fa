"""The local Stripe Billing peer's pages: a subscription checkout whose buttons pay with a test card, and a
Customer Portal listing the customer's subscriptions with a cancel button (stripe_billing_peer.py)."""

from __future__ import annotations

import html
from typing import Any


def checkout_page(session: dict[str, Any]) -> str:
    action = f"/_nozzly/billing/checkout/{html.escape(session['id'])}/complete"
    buttons = "".join(
        f"<form method=post action='{action}'><input type=hidden name=payment_method value='{pm}'>"
        f"<button>{label}</button></form>"
        for pm, label in (
            ("pm_card_visa", "Subscribe with 4242 4242 4242 4242"),
            ("pm_card_visa_chargeDeclined", "Subscribe with a declined card"),
        )
    )
    price = f"{session['amount_total']} {session['currency'].upper()} (minor units)"
    return (
        "<!doctype html><title>Local Stripe Checkout</title><h1>Subscribe</h1>"
        f"<p>Session {html.escape(session['id'])}: {html.escape(session['status'])}, {html.escape(price)}</p>"
        f"{buttons if session['status'] == 'open' else ''}"
    )


def portal_page(portal: dict[str, Any], subscriptions: list[dict[str, Any]]) -> str:
    back = html.escape(portal.get("return_url") or "")
    rows = "".join(
        f"<li>{html.escape(s['id'])}: {html.escape(s['status'])}"
        f"<form method=post action='/_nozzly/billing/subscriptions/{html.escape(s['id'])}/cancel'>"
        f"<input type=hidden name=return_url value='{back}'><button>Cancel subscription</button></form></li>"
        for s in subscriptions
        if s["status"] != "canceled"
    )
    return (
        f"<!doctype html><title>Local Customer Portal</title><h1>Billing</h1><ul>{rows}</ul><a href='{back}'>Back</a>"
    )
