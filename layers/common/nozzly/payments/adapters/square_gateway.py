"""Square: a Web Payments SDK card token charged with CreatePayment, voids, refunds, signed webhooks.

One platform Square account and location take every store's payments. Square payments have no metadata:
reference_id carries the checkout id and the note carries store and checkout (domain.payments.square_note).
`from square import Square` costs ~490 ms, so the client is built on first use only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.secrets import Key, PerKey, current
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.gateway import header, json_object, minor_units, optional_text, read_event, text
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
    parse_square_note,
    refund_amount,
    square_note,
)

if TYPE_CHECKING:
    from square import Square

SIGNATURE_HEADER = "x-square-hmacsha256-signature"
SANDBOX_URL = "https://connect.squareupsandbox.com"
_STATUS = {
    "APPROVED": PaymentStatus.AUTHORIZED,
    "PENDING": PaymentStatus.PENDING,
    "COMPLETED": PaymentStatus.SUCCEEDED,
    "CANCELED": PaymentStatus.CANCELED,
    "FAILED": PaymentStatus.FAILED,
}
_REFUND_STATUS = {"COMPLETED": RefundStatus.SUCCEEDED, "REJECTED": RefundStatus.FAILED, "FAILED": RefundStatus.FAILED}
# The buyer must pass verifyBuyer() (3-D Secure) and pay again with its verification token.
VERIFICATION_REQUIRED = "CARD_DECLINED_VERIFICATION_REQUIRED"


def _money(money: Mapping[str, Any] | None, default_currency: str = "USD") -> Money:
    money = money or {}
    return Money(int(money.get("amount") or 0), str(money.get("currency") or default_currency))


def square_payment(payment: Mapping[str, Any], failure_code: str | None = None) -> Payment:
    return Payment(
        provider=Provider.SQUARE,
        payment_id=str(payment["id"]),
        status=_STATUS.get(str(payment.get("status")), PaymentStatus.PENDING),
        amount=_money(payment.get("amount_money")),
        failure_code=failure_code,
    )


def square_event(event: Mapping[str, Any]) -> PaymentEvent | None:
    """A verified Square notification as a PaymentEvent; None for a type Nozzly does not act on.

    A completed payment whose refunded_money is set is a refund: Square sends payment.updated when one completes.
    """
    if event.get("type") != "payment.updated":
        return None
    return read_event(_payment_updated, event, "event_id")


def _event_money(money: Any, default_currency: str = "USD") -> Money:
    money = money or {}
    return Money(minor_units(money.get("amount") or 0), text(money.get("currency") or default_currency, "currency"))


def _payment_updated(event: Mapping[str, Any]) -> PaymentEvent:
    payment: Mapping[str, Any] = event["data"]["object"]["payment"]
    store_id, checkout_id = parse_square_note(optional_text(payment.get("note"), "note"))
    status = str(payment.get("status"))
    refunded = payment.get("refunded_money") or {}
    amount = _event_money(payment.get("amount_money"))
    if status == "COMPLETED" and minor_units(refunded.get("amount") or 0, "refunded amount") > 0:
        kind, amount = EventKind.REFUNDED, _event_money(refunded, amount.currency)
    else:
        kind = {
            "COMPLETED": EventKind.SUCCEEDED,
            "FAILED": EventKind.FAILED,
            "CANCELED": EventKind.CANCELED,
        }.get(status, EventKind.PENDING)
    return PaymentEvent(
        provider=Provider.SQUARE,
        event_id=text(event["event_id"], "event_id"),
        kind=kind,
        payment_id=text(payment["id"], "payment id"),
        amount=amount,
        checkout_id=checkout_id or optional_text(payment.get("reference_id"), "reference_id"),
        store_id=store_id,
        event_type="payment.updated",
        failure_code=None,
    )


class SquareWebhooks:
    """Checks x-square-hmacsha256-signature with the SDK's verify_signature: HMAC-SHA256 of the notification
    URL followed by the body. The URL must be exactly the one the webhook subscription was made with."""

    def __init__(self, signature_key: Key, notification_url: str) -> None:
        self._key, self._url = signature_key, notification_url

    def parse(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        from square.utils.webhooks_helper import verify_signature

        signature = header(headers, SIGNATURE_HEADER)
        try:
            raw = body.decode("utf-8")
            valid = bool(signature) and verify_signature(
                request_body=raw,
                signature_header=signature or "",
                signature_key=current(self._key),
                notification_url=self._url,
            )
        except (UnicodeDecodeError, ValueError):
            valid = False
        if not valid:
            raise InvalidInput("Square signature rejected", field="signature")
        return square_event(json_object(body))


def _errors(body: Any) -> list[dict[str, Any]]:
    found = body.get("errors") if isinstance(body, dict) else None
    return [e for e in found or [] if isinstance(e, dict)]


def _refusal(exc: Any) -> Exception:
    """Square's refusal (4xx) as a domain error; 5xx, 429 and network errors are re-raised as they are."""
    status = exc.status_code or 500
    if status >= 500 or status == 429:
        return exc  # type: ignore[no-any-return]
    first = (_errors(exc.body) or [{}])[0]
    message = f"Square: {first.get('code', 'error')}: {first.get('detail', '')}".strip()
    if status == 404:
        return NotFound(message, field="payment")
    if first.get("code") == "IDEMPOTENCY_KEY_REUSED":
        return Conflict(message, field="idempotency_key")
    if first.get("category") == "INVALID_REQUEST_ERROR" and "status" in str(first.get("detail", "")).lower():
        return Conflict(message, field="payment")
    return InvalidInput(message, field=first.get("field") or "payment")


@contextmanager
def _provider_errors() -> Iterator[None]:
    from square.core.api_error import ApiError

    try:
        yield
    except ApiError as exc:
        raise _refusal(exc) from None


class SquareGateway:
    provider = Provider.SQUARE

    def __init__(
        self,
        access_token: Key,
        base_url: str = SANDBOX_URL,
        location_id: str | None = None,
        *,
        webhook_signature_key: str = "",
        notification_url: str = "",
        timeout: float = 8.0,
    ) -> None:
        self._base_url, self._location, self._timeout = base_url, location_id, timeout
        self._webhooks = SquareWebhooks(webhook_signature_key, notification_url)
        self._clients = PerKey(access_token, self._new_client)

    def _new_client(self, token: str) -> Square:
        from square import Square

        return Square(token=token, base_url=self._base_url, timeout=self._timeout)

    @property
    def _client(self) -> Square:
        return self._clients.get()

    def start(self, request: PaymentRequest) -> Payment:
        if request.flow is not PaymentFlow.SQUARE_CARD or not request.source_token:
            raise InvalidInput(f"Square does not take {request.flow} payments", field="flow")
        from square.core.api_error import ApiError

        extra: dict[str, Any] = {}
        if self._location:
            extra["location_id"] = self._location
        if request.verification_token:
            extra["verification_token"] = request.verification_token
        try:
            response = self._client.payments.create(
                source_id=request.source_token,
                idempotency_key=request.idempotency_key,
                amount_money={"amount": request.amount.amount, "currency": request.amount.currency},
                autocomplete=True,
                reference_id=request.checkout_id,
                note=square_note(request.store_id, request.checkout_id),
                **extra,
            )
        except ApiError as exc:
            declined = self._declined(exc, request)
            if declined is None:
                raise _refusal(exc) from None
            return declined
        assert response.payment is not None
        return square_payment(response.payment.model_dump(mode="json"))

    @staticmethod
    def _declined(exc: Any, request: PaymentRequest) -> Payment | None:
        """A card decline answers 4xx with the FAILED payment in the body: a result, not an error."""
        errors = _errors(exc.body)
        if not errors or errors[0].get("category") != "PAYMENT_METHOD_ERROR":
            return None
        code = str(errors[0].get("code"))
        body = exc.body if isinstance(exc.body, dict) else {}
        payment = body.get("payment") or {}
        status = PaymentStatus.REQUIRES_ACTION if code == VERIFICATION_REQUIRED else PaymentStatus.FAILED
        return Payment(
            provider=Provider.SQUARE,
            payment_id=str(payment.get("id") or ""),
            status=status,
            amount=request.amount,
            failure_code=code,
        )

    def retrieve(self, payment_id: str) -> Payment:
        with _provider_errors():
            response = self._client.payments.get(payment_id)
        assert response.payment is not None
        return square_payment(response.payment.model_dump(mode="json"))

    def cancel(self, payment_id: str) -> Payment:
        with _provider_errors():
            response = self._client.payments.cancel(payment_id)
        assert response.payment is not None
        return square_payment(response.payment.model_dump(mode="json"))

    def refund(self, payment_id: str, amount: Money | None, idempotency_key: str) -> Refund:
        with _provider_errors():
            found = self._client.payments.get(payment_id).payment
        assert found is not None
        paid = found.model_dump(mode="json")
        remaining = _money(paid.get("amount_money")) - _money(
            paid.get("refunded_money"), _money(paid.get("amount_money")).currency
        )
        to_refund = refund_amount(amount, remaining)
        with _provider_errors():
            response = self._client.refunds.refund_payment(
                idempotency_key=idempotency_key,
                amount_money={"amount": to_refund.amount, "currency": to_refund.currency},
                payment_id=payment_id,
            )
        assert response.refund is not None
        refund = response.refund.model_dump(mode="json")
        return Refund(
            provider=Provider.SQUARE,
            refund_id=str(refund["id"]),
            payment_id=payment_id,
            amount=_money(refund.get("amount_money")),
            status=_REFUND_STATUS.get(str(refund.get("status")), RefundStatus.PENDING),
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        return self._webhooks.parse(body, headers)
