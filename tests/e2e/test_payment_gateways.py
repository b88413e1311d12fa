"""The gateways with the real stripe and squareup SDKs against the local peers, and the webhooks the peers sign.

Test cards: Stripe pm_card_visa (4242...) succeeds, pm_card_visa_chargeDeclined (4000 0000 0000 0002) is
declined, pm_card_authenticationRequired (4000 0025 0000 3155) needs 3-D Secure; Square cnon:card-nonce-ok,
cnon:card-nonce-declined, cnon:card-nonce-requires-verification.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

import pytest
import stripe

from localcloud.payments import config
from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.square_gateway import SquareGateway
from nozzly.payments.adapters.stripe_gateway import StripeGateway
from nozzly.payments.domain.payments import EventKind, PaymentFlow, PaymentRequest, PaymentStatus
from tests.e2e.conftest import free_loopback_ports
from tests.e2e.payment_peers import Peers, running_peers

pytestmark = pytest.mark.e2e
STORE = "mystmereforge"


@pytest.fixture(scope="module")
def peers() -> Iterator[Peers]:
    yield from running_peers(free_loopback_ports(3))


@pytest.fixture(scope="module")
def stripe_gateway(peers: Peers) -> StripeGateway:
    return StripeGateway(config.STRIPE_SECRET_KEY, peers.stripe_url, webhook_secret=config.STRIPE_WEBHOOK_SECRET)


@pytest.fixture(scope="module")
def square_gateway(peers: Peers) -> SquareGateway:
    return SquareGateway(
        config.SQUARE_ACCESS_TOKEN,
        peers.square_url,
        config.SQUARE_LOCATION_ID,
        webhook_signature_key=config.SQUARE_SIGNATURE_KEY,
        notification_url=f"http://127.0.0.1:{peers.env['NOZZLY_API_PORT']}/webhooks/square",
    )


def ids() -> tuple[str, str]:
    checkout = f"chk_{uuid.uuid4().hex[:12]}"
    return checkout, f"{checkout}-pay"


def intent_request(amount: int = 4900, **changes: object) -> PaymentRequest:
    checkout, key = ids()
    values: dict[str, object] = {
        "store_id": STORE,
        "checkout_id": checkout,
        "amount": Money(amount, "EUR"),
        "idempotency_key": key,
        "flow": PaymentFlow.STRIPE_PAYMENT_INTENT,
    }
    return PaymentRequest(**(values | changes))  # type: ignore[arg-type]


def shopper_confirms(peers: Peers, intent_id: str, payment_method: str) -> None:
    """What Stripe.js does when Elements confirms the card: POST /v1/payment_intents/{id}/confirm."""
    client = stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": peers.stripe_url})
    # A decline is what the shopper sees (CardError); the intent and the webhook tell the server.
    with contextlib.suppress(stripe.CardError):
        client.v1.payment_intents.confirm(intent_id, params={"payment_method": payment_method})


# ---------------------------------------------------------------- Stripe


def test_stripe_intent_paid_with_the_success_card_succeeds_and_its_signed_webhook_names_the_checkout(
    peers: Peers, stripe_gateway: StripeGateway
) -> None:
    request = intent_request()
    started = stripe_gateway.start(request)
    assert started.status is PaymentStatus.PENDING
    assert started.client_secret and started.client_secret.startswith(started.payment_id + "_secret_")
    shopper_confirms(peers, started.payment_id, "pm_card_visa")
    assert stripe_gateway.retrieve(started.payment_id).status is PaymentStatus.SUCCEEDED
    event = peers.receiver.wait_for(
        "/webhooks/stripe", stripe_gateway.parse_webhook, lambda e: e.payment_id == started.payment_id
    )
    assert (event.kind, event.checkout_id, event.store_id) == (EventKind.SUCCEEDED, request.checkout_id, STORE)
    assert event.amount == Money(4900, "EUR")


def test_stripe_intent_paid_with_the_decline_card_fails_with_the_decline_code(
    peers: Peers, stripe_gateway: StripeGateway
) -> None:
    started = stripe_gateway.start(intent_request())
    shopper_confirms(peers, started.payment_id, "pm_card_visa_chargeDeclined")
    found = stripe_gateway.retrieve(started.payment_id)
    assert (found.status, found.failure_code) == (PaymentStatus.FAILED, "card_declined")
    event = peers.receiver.wait_for(
        "/webhooks/stripe", stripe_gateway.parse_webhook, lambda e: e.payment_id == started.payment_id
    )
    assert event.kind is EventKind.FAILED


def test_stripe_intent_with_the_3ds_card_requires_action(peers: Peers, stripe_gateway: StripeGateway) -> None:
    started = stripe_gateway.start(intent_request())
    shopper_confirms(peers, started.payment_id, "pm_card_authenticationRequired")
    assert stripe_gateway.retrieve(started.payment_id).status is PaymentStatus.REQUIRES_ACTION


def test_stripe_idempotency_key_reuse_returns_the_same_intent_and_other_values_conflict(
    stripe_gateway: StripeGateway,
) -> None:
    request = intent_request()
    first, again = stripe_gateway.start(request), stripe_gateway.start(request)
    assert first.payment_id == again.payment_id
    changed = PaymentRequest(
        request.store_id, request.checkout_id, Money(1, "EUR"), request.idempotency_key, request.flow
    )
    with pytest.raises(Conflict):
        stripe_gateway.start(changed)


def test_stripe_refunds_full_and_partial(peers: Peers, stripe_gateway: StripeGateway) -> None:
    partial, full = stripe_gateway.start(intent_request(5000)), stripe_gateway.start(intent_request(3000))
    for started in (partial, full):
        shopper_confirms(peers, started.payment_id, "pm_card_visa")
    refunded = stripe_gateway.refund(partial.payment_id, Money(1250, "EUR"), "refund-partial-" + partial.payment_id)
    assert (refunded.amount, refunded.status) == (Money(1250, "EUR"), "succeeded")
    assert (
        stripe_gateway.refund(partial.payment_id, Money(1250, "EUR"), "refund-partial-" + partial.payment_id)
        == refunded
    )
    assert stripe_gateway.refund(full.payment_id, None, "refund-full-" + full.payment_id).amount == Money(3000, "EUR")


def test_stripe_void_of_an_unpaid_intent_cancels_it_and_a_paid_one_cannot_be_voided(
    peers: Peers, stripe_gateway: StripeGateway
) -> None:
    unpaid = stripe_gateway.start(intent_request())
    assert stripe_gateway.cancel(unpaid.payment_id).status is PaymentStatus.CANCELED
    paid = stripe_gateway.start(intent_request())
    shopper_confirms(peers, paid.payment_id, "pm_card_visa")
    with pytest.raises(Conflict):
        stripe_gateway.cancel(paid.payment_id)


def test_stripe_checkout_session_paid_on_the_hosted_page_sends_a_signed_completed_event(
    peers: Peers, stripe_gateway: StripeGateway
) -> None:
    request = intent_request(12900, flow=PaymentFlow.STRIPE_CHECKOUT_SESSION, return_url="https://shop.example/done")
    started = stripe_gateway.start(request)
    assert started.payment_id.startswith("cs_") and started.redirect_url
    from tests.e2e.conftest import http_request

    page = http_request(started.redirect_url)
    assert page.status == 200 and b"4242" in page.body
    paid = http_request(started.redirect_url + "/complete?payment_method=pm_card_visa", "POST", body=b"")
    assert paid.status == 200, paid.body
    assert stripe_gateway.retrieve(started.payment_id).status is PaymentStatus.SUCCEEDED
    event = peers.receiver.wait_for(
        "/webhooks/stripe",
        stripe_gateway.parse_webhook,
        lambda e: e.event_type == "checkout.session.completed" and e.checkout_id == request.checkout_id,
    )
    assert event.kind is EventKind.SUCCEEDED and event.payment_id.startswith("pi_")
    refund = stripe_gateway.refund(started.payment_id, Money(900, "EUR"), "refund-" + started.payment_id)
    assert refund.amount == Money(900, "EUR")


def test_stripe_a_rotated_secret_key_reaches_a_gateway_already_built(peers: Peers) -> None:
    """The platform's key is read when the gateway calls Stripe, not when a warm container built it: a gateway
    built while the key was missing works with the key that replaced it, without being built again."""
    keys = [""]
    gateway = StripeGateway(lambda: keys[-1], peers.stripe_url)
    with pytest.raises(stripe.AuthenticationError):
        gateway.start(intent_request())
    keys.append(config.STRIPE_SECRET_KEY)
    started = gateway.start(intent_request())
    assert started.status is PaymentStatus.PENDING and started.client_secret


# ---------------------------------------------------------------- Square


def card_request(token: str, amount: int = 2500, **changes: object) -> PaymentRequest:
    checkout, key = ids()
    values: dict[str, object] = {
        "store_id": STORE,
        "checkout_id": checkout,
        "amount": Money(amount, "USD"),
        "idempotency_key": key,
        "flow": PaymentFlow.SQUARE_CARD,
        "source_token": token,
    }
    return PaymentRequest(**(values | changes))  # type: ignore[arg-type]


def test_square_success_nonce_completes_and_its_signed_payment_updated_names_the_checkout(
    peers: Peers, square_gateway: SquareGateway
) -> None:
    request = card_request("cnon:card-nonce-ok")
    paid = square_gateway.start(request)
    assert (paid.status, paid.amount) == (PaymentStatus.SUCCEEDED, Money(2500, "USD"))
    assert square_gateway.retrieve(paid.payment_id) == paid
    event = peers.receiver.wait_for(
        "/webhooks/square", square_gateway.parse_webhook, lambda e: e.payment_id == paid.payment_id
    )
    assert (event.kind, event.checkout_id, event.store_id) == (EventKind.SUCCEEDED, request.checkout_id, STORE)


def test_square_decline_nonce_fails_with_square_s_code(peers: Peers, square_gateway: SquareGateway) -> None:
    declined = square_gateway.start(card_request("cnon:card-nonce-declined"))
    assert (declined.status, declined.failure_code) == (PaymentStatus.FAILED, "GENERIC_DECLINE")
    event = peers.receiver.wait_for(
        "/webhooks/square", square_gateway.parse_webhook, lambda e: e.payment_id == declined.payment_id
    )
    assert event.kind is EventKind.FAILED


def test_square_verification_nonce_requires_action_until_paid_with_a_verification_token(
    square_gateway: SquareGateway,
) -> None:
    asked = square_gateway.start(card_request("cnon:card-nonce-requires-verification"))
    assert (asked.status, asked.failure_code) == (PaymentStatus.REQUIRES_ACTION, "CARD_DECLINED_VERIFICATION_REQUIRED")
    verified = square_gateway.start(
        card_request("cnon:card-nonce-requires-verification", verification_token="verf:buyer-verified")
    )
    assert verified.status is PaymentStatus.SUCCEEDED


def test_square_idempotency_key_reuse_returns_the_same_payment_and_other_values_conflict(
    square_gateway: SquareGateway,
) -> None:
    request = card_request("cnon:card-nonce-ok")
    first, again = square_gateway.start(request), square_gateway.start(request)
    assert first.payment_id == again.payment_id
    with pytest.raises(Conflict):
        square_gateway.start(card_request("cnon:card-nonce-ok", 99, idempotency_key=request.idempotency_key))


def test_square_partial_then_full_refund_and_the_refunded_webhook(peers: Peers, square_gateway: SquareGateway) -> None:
    paid = square_gateway.start(card_request("cnon:card-nonce-ok", 4000))
    part = square_gateway.refund(paid.payment_id, Money(1500, "USD"), f"rf1-{paid.payment_id[:30]}")
    assert part.amount == Money(1500, "USD")
    event = peers.receiver.wait_for(
        "/webhooks/square",
        square_gateway.parse_webhook,
        lambda e: e.payment_id == paid.payment_id and e.kind is EventKind.REFUNDED,
    )
    assert event.amount == Money(1500, "USD")  # the total refunded so far
    time.sleep(0.1)
    rest = square_gateway.refund(paid.payment_id, None, f"rf2-{paid.payment_id[:30]}")
    assert rest.amount == Money(2500, "USD")


def test_square_a_completed_payment_cannot_be_voided(square_gateway: SquareGateway) -> None:
    paid = square_gateway.start(card_request("cnon:card-nonce-ok"))
    with pytest.raises(Conflict):
        square_gateway.cancel(paid.payment_id)


def test_square_a_rotated_access_token_reaches_a_gateway_already_built(peers: Peers) -> None:
    """After the platform's token is rotated (the old one revoked), the gateway a warm container holds pays with the
    new one: the token is read on each call (through the secrets cache), not once when the gateway was built."""
    tokens = ["EAAA-revoked-token"]
    reads: list[str] = []

    def token() -> str:
        reads.append(tokens[-1])
        return tokens[-1]

    gateway = SquareGateway(token, peers.square_url, config.SQUARE_LOCATION_ID)
    assert reads == []  # building a gateway (every cold start that wires one) reads no secret
    with pytest.raises(InvalidInput, match="UNAUTHORIZED"):
        gateway.start(card_request("cnon:card-nonce-ok"))
    tokens.append(config.SQUARE_ACCESS_TOKEN)
    paid = gateway.start(card_request("cnon:card-nonce-ok"))
    assert (paid.status, paid.amount) == (PaymentStatus.SUCCEEDED, Money(2500, "USD"))
    assert reads == ["EAAA-revoked-token", config.SQUARE_ACCESS_TOKEN]
