"""Provider webhooks: signatures checked with the providers' own SDK helpers, events normalized to PaymentEvent."""

from __future__ import annotations

import time

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.square_gateway import SquareWebhooks
from nozzly.payments.adapters.stripe_gateway import StripeWebhooks
from nozzly.payments.domain.payments import EventKind, PaymentEvent, Provider
from tests.payment_samples import (
    SQUARE_KEY,
    SQUARE_URL,
    STRIPE_SECRET,
    dumps,
    square_payment_event,
    square_signature,
    stripe_intent_event,
    stripe_session_event,
    stripe_signature,
)

pytestmark = pytest.mark.unit
STRIPE = StripeWebhooks(STRIPE_SECRET)
SQUARE = SquareWebhooks(SQUARE_KEY, SQUARE_URL)


def stripe_parse(body: str, signature: str | None) -> object:
    return STRIPE.parse(body.encode(), {"Stripe-Signature": signature} if signature else {})


# ---------------------------------------------------------------- Stripe


def test_a_succeeded_intent_confirms_its_checkout_with_amount_and_ids() -> None:
    body = dumps(stripe_intent_event(event_id="evt_1", amount=4900, checkout_id="chk_9"))
    event = STRIPE.parse(body.encode(), {"stripe-signature": stripe_signature(body)})
    assert isinstance(event, PaymentEvent)
    assert (event.provider, event.event_id, event.kind) == (Provider.STRIPE, "evt_1", EventKind.SUCCEEDED)
    assert (event.payment_id, event.checkout_id, event.store_id) == ("pi_3Nozzly", "chk_9", "mystmereforge")
    assert event.amount == Money(4900, "EUR")  # Stripe's lowercase currency, upper-cased


def test_a_failed_intent_carries_the_decline_code() -> None:
    error = {"code": "card_declined", "decline_code": "insufficient_funds", "message": "Insufficient funds."}
    body = dumps(stripe_intent_event("payment_intent.payment_failed", error=error))
    event = STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body)})
    assert isinstance(event, PaymentEvent)
    assert (event.kind, event.failure_code) == (EventKind.FAILED, "insufficient_funds")


def test_a_completed_checkout_session_names_the_intent_behind_it() -> None:
    body = dumps(stripe_session_event())
    event = STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body)})
    assert isinstance(event, PaymentEvent)
    assert (event.kind, event.payment_id, event.checkout_id) == (EventKind.SUCCEEDED, "pi_3Session", "chk_session")
    assert event.amount == Money(12900, "EUR")


def test_an_unpaid_completed_session_is_pending_and_an_expired_one_canceled() -> None:
    for raw, kind in (
        (stripe_session_event(paid=False), EventKind.PENDING),
        (stripe_session_event("checkout.session.expired", paid=False), EventKind.CANCELED),
    ):
        body = dumps(raw)
        event = STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body)})
        assert isinstance(event, PaymentEvent) and event.kind is kind


def test_a_refunded_charge_reports_the_total_refunded() -> None:
    raw = stripe_intent_event("charge.refunded")
    raw["data"]["object"] |= {"id": "ch_1", "payment_intent": "pi_3Nozzly", "amount_refunded": 1500}
    body = dumps(raw)
    event = STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body)})
    assert isinstance(event, PaymentEvent)
    assert (event.kind, event.payment_id, event.amount) == (EventKind.REFUNDED, "pi_3Nozzly", Money(1500, "EUR"))


def test_a_stripe_event_type_nozzly_does_not_act_on_is_none_once_verified() -> None:
    body = dumps(stripe_intent_event("customer.created"))
    assert STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body)}) is None
    with pytest.raises(InvalidInput):  # still verified first
        STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body, "whsec_other")})


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "garbage",
        stripe_signature("{}"),  # a signature of another body
        stripe_signature(dumps(stripe_intent_event(event_id="evt_x")), secret="whsec_someone_else"),
        stripe_signature(dumps(stripe_intent_event(event_id="evt_x")), timestamp=int(time.time()) - 301),  # stale
    ],
    ids=["missing", "empty", "garbage", "another-body", "another-secret", "stale"],  # stable across workers
)
def test_a_missing_wrong_or_stale_stripe_signature_is_refused(signature: str | None) -> None:
    body = dumps(stripe_intent_event(event_id="evt_x"))
    with pytest.raises(InvalidInput) as refused:
        stripe_parse(body, signature)
    assert refused.value.field == "signature"


def test_a_stripe_body_changed_after_signing_is_refused() -> None:
    body = dumps(stripe_intent_event(amount=4900))
    signature = stripe_signature(body)
    with pytest.raises(InvalidInput):
        stripe_parse(body.replace("4900", "1"), signature)


# ---------------------------------------------------------------- Square


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("COMPLETED", EventKind.SUCCEEDED),
        ("FAILED", EventKind.FAILED),
        ("CANCELED", EventKind.CANCELED),
        ("APPROVED", EventKind.PENDING),
        ("PENDING", EventKind.PENDING),
    ],
)
def test_a_square_payment_update_maps_its_status(status: str, kind: EventKind) -> None:
    body = dumps(square_payment_event(status, event_id="sq-evt-1"))
    event = SQUARE.parse(body.encode(), {"x-square-hmacsha256-signature": square_signature(body)})
    assert isinstance(event, PaymentEvent)
    assert (event.provider, event.event_id, event.kind) == (Provider.SQUARE, "sq-evt-1", kind)
    assert (event.payment_id, event.store_id, event.checkout_id) == ("sqpay_R2bT", "mystmereforge", "chk_sq")
    assert event.amount == Money(2500, "USD")


def test_a_square_update_with_refunded_money_is_a_refund_of_that_total() -> None:
    body = dumps(square_payment_event("COMPLETED", refunded=1000))
    event = SQUARE.parse(body.encode(), {"X-Square-HmacSha256-Signature": square_signature(body)})
    assert isinstance(event, PaymentEvent)
    assert (event.kind, event.amount) == (EventKind.REFUNDED, Money(1000, "USD"))


def test_other_square_notifications_are_none_once_verified() -> None:
    body = dumps(square_payment_event(event_type="payment.created"))
    assert SQUARE.parse(body.encode(), {"x-square-hmacsha256-signature": square_signature(body)}) is None


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "bm90IGEgc2lnbmF0dXJl",
        square_signature(dumps(square_payment_event(event_id="e")), key="another-key"),
        # Square signs the notification URL too: the same body for another URL is not ours.
        square_signature(dumps(square_payment_event(event_id="e")), url="https://elsewhere.test/webhooks/square"),
    ],
)
def test_a_missing_or_wrong_square_signature_is_refused(signature: str | None) -> None:
    body = dumps(square_payment_event(event_id="e"))
    headers = {"x-square-hmacsha256-signature": signature} if signature is not None else {}
    with pytest.raises(InvalidInput) as refused:
        SQUARE.parse(body.encode(), headers)
    assert refused.value.field == "signature"


# ---------------------------------------------------------------- rotated signing secrets


def test_a_rolled_stripe_signing_secret_is_checked_by_the_verifier_a_warm_container_already_holds() -> None:
    """The verifier reads its secret per webhook (through the secrets cache): once the platform's secret is
    rolled, events signed with the new one are accepted and those signed with the old one refused."""
    secrets = [STRIPE_SECRET]
    verifier = StripeWebhooks(lambda: secrets[-1])
    body = dumps(stripe_intent_event(event_id="evt_roll", amount=4900, checkout_id="chk_roll"))
    assert isinstance(verifier.parse(body.encode(), {"stripe-signature": stripe_signature(body)}), PaymentEvent)
    secrets.append("whsec_rolled")
    rolled = verifier.parse(body.encode(), {"stripe-signature": stripe_signature(body, secret="whsec_rolled")})
    assert isinstance(rolled, PaymentEvent) and rolled.checkout_id == "chk_roll"
    with pytest.raises(InvalidInput):
        verifier.parse(body.encode(), {"stripe-signature": stripe_signature(body)})


def test_a_replaced_square_signature_key_is_checked_by_the_verifier_a_warm_container_already_holds() -> None:
    keys = [SQUARE_KEY]
    verifier = SquareWebhooks(lambda: keys[-1], SQUARE_URL)
    body = dumps(square_payment_event("COMPLETED", event_id="sq-roll"))
    keys.append("replaced-signature-key")
    replaced = verifier.parse(body.encode(), {"x-square-hmacsha256-signature": square_signature(body, key=keys[-1])})
    assert isinstance(replaced, PaymentEvent) and replaced.event_id == "sq-roll"
    with pytest.raises(InvalidInput):
        verifier.parse(body.encode(), {"x-square-hmacsha256-signature": square_signature(body)})
