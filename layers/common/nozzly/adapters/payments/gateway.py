"""The one interface a checkout uses to take, void and refund payments, whatever the provider."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from nozzly.domain.money import Money
from nozzly.domain.payments import Payment, PaymentEvent, PaymentRequest, Provider, Refund


class PaymentWebhooks(Protocol):
    """A provider's webhook check: the raw body and headers in, a verified event out.

    Raises InvalidInput (field "signature") for a missing, wrong or stale signature, before anything else.
    Returns None for an event type Nozzly does not act on (acknowledge it, do nothing).
    """

    def parse(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None: ...


class PaymentGateway(Protocol):
    """One provider. Every call that creates something takes an idempotency key: a retry with the same key
    returns the same payment or refund, never a second one.

    Declines are not exceptions: start() returns a Payment with status FAILED (or REQUIRES_ACTION) and the
    provider's failure_code. Exceptions: InvalidInput (the provider refused the request's values), Conflict
    (the payment's state forbids it: e.g. voiding a captured payment, reusing a key with other values),
    NotFound (no such payment); anything else (network, provider outage) propagates for the caller to retry.
    """

    provider: Provider

    def start(self, request: PaymentRequest) -> Payment: ...

    def retrieve(self, payment_id: str) -> Payment: ...

    def cancel(self, payment_id: str) -> Payment:
        """Void a payment the shopper has not completed (or that is authorized and not captured)."""
        ...

    def refund(self, payment_id: str, amount: Money | None, idempotency_key: str) -> Refund:
        """Refund all of a payment (amount None) or part of it."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None: ...


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (API Gateway lowercases them; tests and peers may not)."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
