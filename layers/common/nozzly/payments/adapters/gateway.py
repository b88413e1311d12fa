"""The one interface a checkout uses to take, void and refund payments, whatever the provider."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import Payment, PaymentEvent, PaymentRequest, Provider, Refund
from nozzly.payments.domain.payouts import AccountEvent

T = TypeVar("T")


class PaymentWebhooks(Protocol):
    """A provider's webhook check: the raw body and headers in, a verified event out.

    Raises InvalidInput (field "signature") for a missing, wrong or stale signature, before anything else, and
    UnusableEvent for a correctly signed payload Nozzly cannot read (acknowledge it, change nothing).
    Returns None for an event type Nozzly does not act on (acknowledge it, do nothing).
    """

    def parse(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | AccountEvent | None: ...


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

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | AccountEvent | None: ...


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (API Gateway lowercases them; tests and peers may not)."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


class UnusableEvent(Exception):
    """A correctly signed webhook whose payload Nozzly cannot use: not a JSON object, a field missing or of the
    wrong type (no `id`, no `data`, an amount that is not a whole number). Acknowledged as ignored."""

    def __init__(self, reason: str, event_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.event_id = reason, event_id


def json_object(body: bytes) -> dict[str, Any]:
    """A verified body as a JSON object, or UnusableEvent."""
    try:
        parsed = json.loads(body)
    except ValueError as exc:  # also UnicodeDecodeError
        raise UnusableEvent(f"the body is not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise UnusableEvent(f"the body is a JSON {type(parsed).__name__}, not an object")
    return parsed


def minor_units(value: Any, name: str = "amount") -> int:
    """A provider's amount: a whole, non-negative number of minor units (never a string, float or boolean)."""
    if type(value) is not int or value < 0:
        raise UnusableEvent(f"{name} {value!r} is not a whole number of minor units")
    return value


def text(value: Any, name: str) -> str:
    """A provider's id: a non-empty string."""
    if not isinstance(value, str) or not value:
        raise UnusableEvent(f"{name} {value!r} is missing or not a string")
    return value


def optional_text(value: Any, name: str) -> str | None:
    return None if value is None else text(value, name)


def read_event(read: Callable[[Mapping[str, Any]], T], event: Mapping[str, Any], id_key: str) -> T:
    """`read(event)`, with any shape it did not expect (a key missing, a list for an object, a currency Nozzly
    does not take) turned into UnusableEvent naming the event, when it has an id."""
    try:
        return read(event)
    except UnusableEvent as unusable:
        unusable.event_id = unusable.event_id or _event_id(event, id_key)
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, InvalidInput) as exc:
        detail = exc.message if isinstance(exc, InvalidInput) else str(exc)
        raise UnusableEvent(f"{type(exc).__name__}: {detail}", _event_id(event, id_key)) from None


def _event_id(event: Mapping[str, Any], id_key: str) -> str | None:
    found = event.get(id_key)
    return found if isinstance(found, str) and found else None
