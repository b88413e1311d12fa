"""Provider webhook bodies shaped as Stripe and Square send them, and signatures made by their schemes.

Imported as `tests.payment_samples` by the unit, functional and e2e tests of payments.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

STRIPE_SECRET = "whsec_test_secret"
SQUARE_KEY = "square-test-signature-key"
SQUARE_URL = "https://api.example.test/webhooks/square"


def stripe_signature(body: str, secret: str = STRIPE_SECRET, timestamp: int | None = None) -> str:
    """Stripe-Signature as Stripe computes it: t=<ts>,v1=hex(HMAC-SHA256(secret, "<ts>.<body>"))."""
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


def square_signature(body: str, key: str = SQUARE_KEY, url: str = SQUARE_URL) -> str:
    """x-square-hmacsha256-signature as Square computes it: base64(HMAC-SHA256(key, url + body))."""
    return base64.b64encode(hmac.new(key.encode(), (url + body).encode(), hashlib.sha256).digest()).decode()


def stripe_intent_event(
    event_type: str = "payment_intent.succeeded",
    *,
    event_id: str | None = None,
    amount: int = 4900,
    checkout_id: str = "chk_123",
    store_id: str = "mystmereforge",
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    intent = {
        "id": "pi_3Nozzly",
        "object": "payment_intent",
        "amount": amount,
        "currency": "eur",
        "status": "succeeded" if event_type.endswith("succeeded") else "requires_payment_method",
        "metadata": {"store_id": store_id, "checkout_id": checkout_id},
        "last_payment_error": error,
    }
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": intent},
    }


def stripe_session_event(event_type: str = "checkout.session.completed", paid: bool = True) -> dict[str, Any]:
    session = {
        "id": "cs_test_nozzly",
        "object": "checkout.session",
        "amount_total": 12900,
        "currency": "eur",
        "payment_intent": "pi_3Session" if paid else None,
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete" if event_type.endswith("completed") else "expired",
        "metadata": {"store_id": "mystmereforge", "checkout_id": "chk_session"},
    }
    return {"id": f"evt_{uuid.uuid4().hex[:20]}", "object": "event", "type": event_type, "data": {"object": session}}


def square_payment_event(
    status: str = "COMPLETED",
    *,
    event_id: str | None = None,
    refunded: int | None = None,
    event_type: str = "payment.updated",
) -> dict[str, Any]:
    payment: dict[str, Any] = {
        "id": "sqpay_R2bT",
        "status": status,
        "amount_money": {"amount": 2500, "currency": "USD"},
        "reference_id": "chk_sq",
        "note": "nozzly store=mystmereforge checkout=chk_sq",
    }
    if refunded is not None:
        payment["refunded_money"] = {"amount": refunded, "currency": "USD"}
    return {
        "merchant_id": "MLTEST",
        "type": event_type,
        "event_id": event_id or str(uuid.uuid4()),
        "created_at": "2026-11-22T10:00:00Z",
        "data": {"type": "payment", "id": payment["id"], "object": {"payment": payment}},
    }


def dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, indent=2)
