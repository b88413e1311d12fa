"""Stripe: PaymentIntents (Stripe Elements), Checkout Sessions (hosted page), refunds, signed webhooks.

The platform's Stripe account creates every payment as a destination charge for the store's connected account
(Stripe Connect: `transfer_data.destination`, the platform's `application_fee_amount`), so every webhook still
arrives on the platform's endpoint; refunds of such a charge reverse the transfer and the fee. Each object's
metadata carries store_id and checkout_id, which is how a webhook finds its checkout. The stripe SDK (~370 ms to
import) is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.secrets import Key, PerKey, current
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.gateway import (
    UnusableEvent,
    header,
    json_object,
    minor_units,
    optional_text,
    read_event,
    text,
)
from nozzly.payments.domain.payments import (
    EventKind,
    Payment,
    PaymentEvent,
    PaymentFlow,
    PaymentRequest,
    PaymentStatus,
    Provider,
    Refund,
    RefundStatus,
)
from nozzly.payments.domain.payouts import AccountEvent

if TYPE_CHECKING:
    from stripe import StripeClient

# Stripe's own default: a signature older than 5 minutes is refused (replays of captured requests).
TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "stripe-signature"
_INTENT_STATUS = {
    "requires_payment_method": PaymentStatus.PENDING,
    "requires_confirmation": PaymentStatus.PENDING,
    "requires_action": PaymentStatus.REQUIRES_ACTION,
    "processing": PaymentStatus.PENDING,
    "requires_capture": PaymentStatus.AUTHORIZED,
    "succeeded": PaymentStatus.SUCCEEDED,
    "canceled": PaymentStatus.CANCELED,
}
_REFUND_STATUS = {"succeeded": RefundStatus.SUCCEEDED, "failed": RefundStatus.FAILED, "canceled": RefundStatus.FAILED}


def _money(amount: Any, currency: Any) -> Money:
    return Money(int(amount), str(currency).upper())


def _metadata(obj: Mapping[str, Any]) -> tuple[str | None, str | None]:
    meta = obj.get("metadata") or {}
    return meta.get("store_id"), meta.get("checkout_id")


def intent_payment(intent: Mapping[str, Any]) -> Payment:
    """A PaymentIntent as a Payment. A declined attempt leaves it waiting for another card: FAILED until then."""
    status = _INTENT_STATUS.get(str(intent["status"]), PaymentStatus.PENDING)
    error = intent.get("last_payment_error") or None
    if status is PaymentStatus.PENDING and error:
        status = PaymentStatus.FAILED
    return Payment(
        provider=Provider.STRIPE,
        payment_id=str(intent["id"]),
        status=status,
        amount=_money(intent["amount"], intent["currency"]),
        client_secret=intent.get("client_secret"),
        failure_code=(error or {}).get("decline_code") or (error or {}).get("code"),
    )


def session_payment(session: Mapping[str, Any]) -> Payment:
    state = str(session.get("status"))
    if state == "complete":
        status = PaymentStatus.SUCCEEDED if session.get("payment_status") == "paid" else PaymentStatus.PENDING
    elif state == "expired":
        status = PaymentStatus.CANCELED
    else:
        status = PaymentStatus.PENDING
    return Payment(
        provider=Provider.STRIPE,
        payment_id=str(session["id"]),
        status=status,
        amount=_money(session["amount_total"], session["currency"]),
        redirect_url=session.get("url"),
    )


def stripe_event(event: Mapping[str, Any]) -> PaymentEvent | AccountEvent | None:
    """A verified Stripe event as a PaymentEvent (or AccountEvent); None for a type Nozzly does not act on;
    UnusableEvent when its shape is not one Nozzly can read (no id or data, an amount that is not a whole number)."""
    if event.get("type") == "account.updated":
        return read_event(_account_event, event, "id")
    return read_event(_stripe_event, event, "id")


def _flag(obj: Mapping[str, Any], name: str) -> bool:
    value = obj.get(name, False)
    if not isinstance(value, bool):
        raise UnusableEvent(f"{name} {value!r} is not a boolean")
    return value


def _account_event(event: Mapping[str, Any]) -> AccountEvent:
    obj: Mapping[str, Any] = event["data"]["object"]
    requirements = obj.get("requirements") or {}
    created = event.get("created", 0)
    return AccountEvent(
        provider=Provider.STRIPE,
        event_id=text(event["id"], "id"),
        account_id=text(obj["id"], "account id"),
        store_id=optional_text((obj.get("metadata") or {}).get("store_id"), "metadata.store_id"),
        charges_enabled=_flag(obj, "charges_enabled"),
        payouts_enabled=_flag(obj, "payouts_enabled"),
        details_submitted=_flag(obj, "details_submitted"),
        disabled_reason=optional_text(requirements.get("disabled_reason") or None, "requirements.disabled_reason"),
        created=minor_units(created, "created"),
    )


def _event_money(amount: Any, currency: Any) -> Money:
    return Money(minor_units(amount), text(currency, "currency").upper())


def _event_metadata(obj: Mapping[str, Any]) -> tuple[str | None, str | None]:
    meta = obj.get("metadata") or {}
    return optional_text(meta.get("store_id"), "metadata.store_id"), optional_text(
        meta.get("checkout_id"), "metadata.checkout_id"
    )


def _stripe_event(event: Mapping[str, Any]) -> PaymentEvent | None:
    kind_of = {
        "payment_intent.succeeded": EventKind.SUCCEEDED,
        "payment_intent.payment_failed": EventKind.FAILED,
        "payment_intent.canceled": EventKind.CANCELED,
        "checkout.session.completed": None,  # decided by payment_status below
        "checkout.session.expired": EventKind.CANCELED,
        "charge.refunded": EventKind.REFUNDED,
    }
    event_type = str(event.get("type"))
    if event_type not in kind_of:
        return None
    obj: Mapping[str, Any] = event["data"]["object"]
    store_id, checkout_id = _event_metadata(obj)
    failure_code = None
    if event_type.startswith("checkout.session."):
        paid = obj.get("payment_status") == "paid"
        kind = kind_of[event_type] or (EventKind.SUCCEEDED if paid else EventKind.PENDING)
        payment_id = obj.get("payment_intent") or obj["id"]
        amount = _event_money(obj["amount_total"], obj["currency"])
    elif event_type == "charge.refunded":
        kind = EventKind.REFUNDED
        payment_id = obj.get("payment_intent") or obj["id"]
        amount = _event_money(obj["amount_refunded"], obj["currency"])  # the total refunded so far
    else:
        kind = kind_of[event_type] or EventKind.PENDING
        payment_id = obj["id"]
        amount = _event_money(obj["amount"], obj["currency"])
        error = obj.get("last_payment_error") or {}
        failure_code = error.get("decline_code") or error.get("code")
    return PaymentEvent(
        provider=Provider.STRIPE,
        event_id=text(event["id"], "id"),
        kind=kind,
        payment_id=text(payment_id, "payment id"),
        amount=amount,
        checkout_id=checkout_id,
        store_id=store_id,
        event_type=event_type,
        failure_code=failure_code,
    )


class StripeWebhooks:
    """Checks the Stripe-Signature header with the SDK's own construct_event (HMAC-SHA256, 5 minute tolerance).

    `connect_secret` is the signing secret of a Connect endpoint ("events on connected accounts", where Stripe
    sends `account.updated`); Stripe signs each endpoint with its own secret, so both may point at one route."""

    def __init__(self, secret: Key, tolerance: int = TOLERANCE_SECONDS, *, connect_secret: Key = "") -> None:
        self._keys = (secret, connect_secret)
        self._tolerance = tolerance

    def parse(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | AccountEvent | None:
        import stripe

        secret, connect_secret = (current(key) for key in self._keys)
        secrets = [s for s in (secret, connect_secret) if s] or [secret]
        for attempt, secret in enumerate(secrets, start=1):
            try:  # the signature only: what the payload says is judged by stripe_event
                stripe.WebhookSignature.verify_header(body, header(headers, SIGNATURE_HEADER), secret, self._tolerance)
                break
            except (stripe.SignatureVerificationError, ValueError) as exc:
                if attempt == len(secrets):
                    raise InvalidInput(f"Stripe signature rejected: {exc}", field="signature") from None
        return stripe_event(json_object(body))


def _metadata_for(request: PaymentRequest) -> dict[str, str]:
    return {"store_id": request.store_id, "checkout_id": request.checkout_id}


def _connect(request: PaymentRequest) -> dict[str, Any]:
    """The destination charge's parameters: the store's connected account receives the payment less the fee."""
    if request.destination is None:
        return {}
    found: dict[str, Any] = {"transfer_data": {"destination": request.destination}}
    if request.application_fee is not None:
        found["application_fee_amount"] = request.application_fee.amount
    return found


@contextmanager
def provider_errors() -> Iterator[None]:
    """Stripe's refusals as domain errors; network and server errors propagate (the caller retries)."""
    import stripe

    try:
        yield
    except stripe.IdempotencyError as exc:
        raise Conflict(f"Stripe: {exc.user_message}", field="idempotency_key") from None
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            raise NotFound(f"Stripe: {exc.user_message}", field="payment") from None
        raise InvalidInput(f"Stripe: {exc.user_message}", field=exc.param or "payment") from None


class StripeGateway:
    provider = Provider.STRIPE

    def __init__(
        self,
        api_key: Key,
        api_base: str = "https://api.stripe.com",
        *,
        webhook_secret: str = "",
        stripe_account: str | None = None,
        timeout: float = 8.0,
    ) -> None:
        self._api_base, self._timeout = api_base, timeout
        self._account = stripe_account
        self._webhooks = StripeWebhooks(webhook_secret)
        self._clients = PerKey(api_key, self._new_client)

    def _new_client(self, key: str) -> StripeClient:
        import stripe

        return stripe.StripeClient(
            key,
            base_addresses={"api": self._api_base},
            stripe_account=self._account,
            max_network_retries=2,  # Stripe retries safely: every create carries an idempotency key
            http_client=stripe.RequestsClient(timeout=self._timeout),
        )

    @property
    def _client(self) -> StripeClient:
        return self._clients.get()

    def start(self, request: PaymentRequest) -> Payment:
        options: Any = {"idempotency_key": request.idempotency_key}
        meta = _metadata_for(request)
        with provider_errors():
            if request.flow is PaymentFlow.STRIPE_PAYMENT_INTENT:
                params: Any = {
                    "amount": request.amount.amount,
                    "currency": request.amount.currency.lower(),
                    "payment_method_types": ["card"],
                    "metadata": meta,
                } | _connect(request)
                intent = self._client.v1.payment_intents.create(params=params, options=options)
                return intent_payment(intent.to_dict())
            if request.flow is PaymentFlow.STRIPE_CHECKOUT_SESSION:
                session_params: Any = {
                    "mode": "payment",
                    "client_reference_id": request.checkout_id,
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": request.amount.currency.lower(),
                                "unit_amount": request.amount.amount,
                                "product_data": {"name": f"Order {request.checkout_id}"},
                            },
                        }
                    ],
                    "success_url": request.return_url,
                    "cancel_url": request.return_url,
                    "metadata": meta,
                    # The PaymentIntent behind the session carries them too: its own events find the checkout.
                    "payment_intent_data": {"metadata": meta} | _connect(request),
                }
                session = self._client.v1.checkout.sessions.create(params=session_params, options=options)
                return session_payment(session.to_dict())
        raise InvalidInput(f"Stripe does not take {request.flow} payments", field="flow")

    def retrieve(self, payment_id: str) -> Payment:
        with provider_errors():
            if payment_id.startswith("cs_"):
                return session_payment(self._client.v1.checkout.sessions.retrieve(payment_id).to_dict())
            return intent_payment(self._client.v1.payment_intents.retrieve(payment_id).to_dict())

    def cancel(self, payment_id: str) -> Payment:
        current = self.retrieve(payment_id)
        if current.status in (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED):
            raise Conflict(f"a {current.status} payment cannot be voided; refund it instead", field="payment")
        with provider_errors():
            if payment_id.startswith("cs_"):
                return session_payment(self._client.v1.checkout.sessions.expire(payment_id).to_dict())
            return intent_payment(self._client.v1.payment_intents.cancel(payment_id).to_dict())

    def refund(self, payment_id: str, amount: Money | None, idempotency_key: str) -> Refund:
        intent_id = payment_id
        with provider_errors():
            if payment_id.startswith("cs_"):
                session = self._client.v1.checkout.sessions.retrieve(payment_id).to_dict()
                if not session.get("payment_intent"):
                    raise Conflict("the checkout session was never paid", field="payment")
                intent_id = str(session["payment_intent"])
            params: Any = {"payment_intent": intent_id}
            intent = self._client.v1.payment_intents.retrieve(intent_id).to_dict()
            if intent.get("transfer_data"):
                # A destination charge: the store's transfer comes back with the refund, and the platform's fee
                # in proportion, as Stripe's Connect docs advise for refunds the platform makes.
                params |= {"reverse_transfer": True, "refund_application_fee": True}
            if amount is not None:
                if amount.amount <= 0:
                    raise InvalidInput("a refund must be positive", field="amount")
                params["amount"] = amount.amount
            refund = self._client.v1.refunds.create(
                params=params, options={"idempotency_key": idempotency_key}
            ).to_dict()
        return Refund(
            provider=Provider.STRIPE,
            refund_id=str(refund["id"]),
            payment_id=payment_id,
            amount=_money(refund["amount"], refund["currency"]),
            status=_REFUND_STATUS.get(str(refund["status"]), RefundStatus.PENDING),
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | AccountEvent | None:
        return self._webhooks.parse(body, headers)
