"""Payments as Nozzly sees them, whatever the provider: what a checkout asks for, what comes back, what a webhook says.

Pure data and rules; the provider SDKs live in nozzly.payments.adapters. Amounts are Money (integer minor units).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

# Square's CreatePayment/RefundPayment accept at most 45 characters; Stripe's limit is far higher.
MAX_IDEMPOTENCY_KEY = 45
# Square's reference_id holds the checkout id: at most 40 characters.
MAX_CHECKOUT_ID = 40


class Provider(StrEnum):
    STRIPE = "stripe"
    SQUARE = "square"


class PaymentFlow(StrEnum):
    """How the shopper pays, which decides what start() returns."""

    STRIPE_PAYMENT_INTENT = "stripe_payment_intent"  # client secret for Stripe Elements
    STRIPE_CHECKOUT_SESSION = "stripe_checkout_session"  # a hosted page to redirect to
    SQUARE_CARD = "square_card"  # a Web Payments SDK card token, charged at once


FLOW_PROVIDER = {
    PaymentFlow.STRIPE_PAYMENT_INTENT: Provider.STRIPE,
    PaymentFlow.STRIPE_CHECKOUT_SESSION: Provider.STRIPE,
    PaymentFlow.SQUARE_CARD: Provider.SQUARE,
}


class PaymentStatus(StrEnum):
    PENDING = "pending"  # waiting for the shopper (or the provider) to act
    REQUIRES_ACTION = "requires_action"  # the shopper must authenticate (3-D Secure / buyer verification)
    AUTHORIZED = "authorized"  # approved, not captured yet
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def is_final(self) -> bool:
        return self in (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED)


class EventKind(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    REFUNDED = "refunded"
    PENDING = "pending"  # a change that decides nothing yet (e.g. an asynchronous method still running)


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def _check_key(idempotency_key: str) -> None:
    if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise InvalidInput(f"an idempotency key has 1 to {MAX_IDEMPOTENCY_KEY} characters", field="idempotency_key")


def _check_positive(amount: Money) -> None:
    if amount.amount <= 0:
        raise InvalidInput("a payment amount must be positive", field="amount")


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What a checkout asks a provider for. The same idempotency key always names the same payment."""

    store_id: str
    checkout_id: str
    amount: Money
    idempotency_key: str
    flow: PaymentFlow
    source_token: str | None = None  # Square: the Web Payments SDK card token
    verification_token: str | None = None  # Square: verifyBuyer()'s token when the card asked for it
    return_url: str | None = None  # Stripe Checkout: where the hosted page sends the shopper back
    # Stripe Connect destination charge: the store's connected account receives the amount less the fee.
    destination: str | None = None
    application_fee: Money | None = None

    def __post_init__(self) -> None:
        _check_positive(self.amount)
        _check_key(self.idempotency_key)
        if not 1 <= len(self.checkout_id) <= MAX_CHECKOUT_ID:
            raise InvalidInput(f"a checkout id has 1 to {MAX_CHECKOUT_ID} characters", field="checkout_id")
        if not self.store_id:
            raise InvalidInput("a payment belongs to a store", field="store_id")
        if self.flow is PaymentFlow.SQUARE_CARD and not self.source_token:
            raise InvalidInput("a Square card payment needs the card token", field="source_token")
        if self.flow is PaymentFlow.STRIPE_CHECKOUT_SESSION and not self.return_url:
            raise InvalidInput("a Stripe Checkout Session needs a return URL", field="return_url")
        if self.application_fee is not None and (self.destination is None or not self.application_fee < self.amount):
            raise InvalidInput("an application fee goes with a destination and is below the amount", field="fee")

    @property
    def provider(self) -> Provider:
        return FLOW_PROVIDER[self.flow]


@dataclass(frozen=True, slots=True)
class Payment:
    """A provider's payment as the shopper and the saga need it."""

    provider: Provider
    payment_id: str  # pi_... / cs_... (Stripe) or the Square payment id
    status: PaymentStatus
    amount: Money
    client_secret: str | None = None  # Stripe Elements confirms the PaymentIntent with it
    redirect_url: str | None = None  # Stripe Checkout's hosted page
    failure_code: str | None = None  # the provider's decline code, e.g. card_declined, GENERIC_DECLINE


@dataclass(frozen=True, slots=True)
class Refund:
    provider: Provider
    refund_id: str
    payment_id: str
    amount: Money
    status: RefundStatus


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """One verified provider webhook, normalized. `event_id` is the provider's and unique per provider."""

    provider: Provider
    event_id: str
    kind: EventKind
    payment_id: str  # Stripe: the PaymentIntent (also for Checkout); Square: the payment
    amount: Money  # the payment's amount; for REFUNDED, the amount refunded by this event
    checkout_id: str | None  # None when the provider's object does not carry it (refund objects)
    store_id: str | None
    event_type: str  # the provider's own name, e.g. payment_intent.succeeded, payment.updated
    failure_code: str | None = None

    @property
    def dedup_key(self) -> str:
        return f"{self.provider}:{self.event_id}"


def refund_amount(requested: Money | None, paid: Money) -> Money:
    """The amount a refund returns: all of the payment when none is named, never more, never nothing."""
    if requested is None:
        return paid
    _check_positive(requested)
    if paid < requested:
        raise InvalidInput("a refund cannot exceed the payment", field="amount")
    return requested


def square_note(store_id: str, checkout_id: str) -> str:
    """Square payments have no metadata: the note carries the store and checkout (reference_id the checkout)."""
    return f"nozzly store={store_id} checkout={checkout_id}"


def parse_square_note(note: str | None) -> tuple[str | None, str | None]:
    """(store_id, checkout_id) from a note square_note() wrote; (None, None) for any other note."""
    if not note or not note.startswith("nozzly "):
        return None, None
    fields = dict(part.split("=", 1) for part in note.split()[1:] if "=" in part)
    return fields.get("store"), fields.get("checkout")
