"""The local Square sandbox's Payments and Refunds, as the squareup SDK calls them (served by square_sandbox.py).

CreatePayment, GetPayment, CancelPayment and RefundPayment with Square's idempotency rules: the same key and body
replays the first answer, the same key with another body is IDEMPOTENCY_KEY_REUSED. Card tokens are Square's
documented sandbox nonces (SANDBOX_NONCES). Every change to a payment is told to the seller's webhooks
(square_notifications.py).
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from localcloud.payments.square_notifications import Notifications

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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def square_error(category: str, code: str, detail: str, field: str | None = None) -> dict[str, Any]:
    error = {"category": category, "code": code, "detail": detail}
    return error | ({"field": field} if field else {})


class Refused(Exception):
    def __init__(self, status: int, *errors: dict[str, Any], payment: dict[str, Any] | None = None) -> None:
        super().__init__(errors[0]["code"])
        self.status, self.errors, self.payment = status, list(errors), payment


class Sandbox:
    def __init__(self, token: str, signature_key: str, notification_url: str) -> None:
        self.token = token
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, int, dict[str, Any]]] = {}
        self.lock = threading.RLock()
        self.notifications = Notifications(signature_key, notification_url)

    @property
    def deliveries(self) -> list[dict[str, Any]]:
        """What was posted to the notification URL, for people and tests."""
        return self.notifications.deliveries

    # ---------------------------------------------------------------- endpoints
    def idempotent(self, endpoint: str, body: dict[str, Any], work: Any) -> tuple[int, dict[str, Any]]:
        key = str(body.get("idempotency_key") or "")
        if not key:
            raise Refused(
                400,
                square_error(
                    "INVALID_REQUEST_ERROR", "MISSING_REQUIRED_PARAMETER", "idempotency_key", "idempotency_key"
                ),
            )
        fingerprint = json.dumps(body, sort_keys=True)
        with self.lock:
            seen = self.idempotency.get((endpoint, key))
            if seen is not None:
                if seen[0] != fingerprint:
                    raise Refused(
                        400,
                        square_error(
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
                400,
                square_error("INVALID_REQUEST_ERROR", "INVALID_VALUE", "amount_money must be positive", "amount_money"),
            )
        source = str(body.get("source_id") or "")
        if source not in SANDBOX_NONCES:
            raise Refused(
                400,
                square_error("INVALID_REQUEST_ERROR", "INVALID_CARD_DATA", "Unknown sandbox card token", "source_id"),
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
                400, square_error("PAYMENT_METHOD_ERROR", decline, f"Authorization error: '{decline}'"), payment=payment
            )
        return {"payment": payment}

    def get_payment(self, payment_id: str) -> dict[str, Any]:
        with self.lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                raise Refused(
                    404,
                    square_error("INVALID_REQUEST_ERROR", "NOT_FOUND", f"Could not find payment with id: {payment_id}"),
                )
            return {"payment": payment}

    def cancel_payment(self, payment_id: str) -> dict[str, Any]:
        with self.lock:
            payment = self.get_payment(payment_id)["payment"]
            if payment["status"] != "APPROVED":
                raise Refused(
                    400,
                    square_error(
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
                square_error(
                    "INVALID_REQUEST_ERROR",
                    "BAD_REQUEST",
                    f"Payment has status {payment['status']}; only COMPLETED payments can be refunded.",
                ),
            )
        if money.get("currency") != payment["amount_money"]["currency"]:
            raise Refused(
                400,
                square_error(
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
                square_error(
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

    def _notify(self, payment: dict[str, Any]) -> None:
        event = {
            "merchant_id": MERCHANT_ID,
            "type": "payment.updated",
            "event_id": str(uuid.uuid4()),
            "created_at": _now(),
            "data": {"type": "payment", "id": payment["id"], "object": {"payment": json.loads(json.dumps(payment))}},
        }
        self.notifications.send(event)

    # ---------------------------------------------------------------- what `make run` keeps between runs
    def memory(self) -> dict[str, Any]:
        """A copy taken under the lock: requests go on changing the live payments while it is pickled."""
        with self.lock:
            return copy.deepcopy(
                {
                    "payments": self.payments,
                    "refunds": self.refunds,
                    "idempotency": self.idempotency,
                    "notifications": self.notifications.memory(),
                }
            )

    def remember(self, saved: dict[str, Any]) -> None:
        with self.lock:
            self.payments.update(saved["payments"])
            self.refunds.update(saved["refunds"])
            self.idempotency.update(saved["idempotency"])
        for refund in self.refunds.values():
            if refund["status"] == "PENDING":  # its completion was due while the sandbox was stopped
                threading.Timer(0.3, self._complete_refund, args=(refund["id"],)).start()
        self.notifications.remember(saved["notifications"])
