"""Every way into the checkout saga's Abandon state, each checked where the money and the stock must end: the
stock released, the coupon's use given back, the payment cancelled (or refunded if it went through), the
checkout failed with a reason to read, and the cart free to check out again."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import (
    Payment,
    PaymentEvent,
    PaymentRequest,
    PaymentStatus,
    Provider,
    Refund,
    RefundStatus,
)
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupons import Coupon, CouponKind
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.test_carts import guest_cart
from tests.functional.test_checkout import BODY, check_out, reserved, status, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
STARTED, PAID = "started", "paid"  # where the payment stands when the step fails


@dataclass
class Provider_:
    """A card provider as the saga sees it: payments it started, what became of them, and whether it answers."""

    status: dict[str, PaymentStatus] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)
    refunded: list[str] = field(default_factory=list)
    down: bool = False

    def start(self, request: PaymentRequest) -> Payment:
        payment_id = f"pi_{request.checkout_id}"
        self.status.setdefault(payment_id, PaymentStatus.PENDING)
        return Payment(Provider.STRIPE, payment_id, self.status[payment_id], request.amount, client_secret="cs_1")

    def retrieve(self, payment_id: str) -> Payment:
        if self.down:
            raise ConnectionError("the provider did not answer")
        return Payment(Provider.STRIPE, payment_id, self.status[payment_id], Money(1, "EUR"))

    def cancel(self, payment_id: str) -> Payment:
        self.cancelled.append(payment_id)
        self.status[payment_id] = PaymentStatus.CANCELED
        return self.retrieve(payment_id)

    def refund(self, payment_id: str, amount: Money | None, idempotency_key: str) -> Refund:
        self.refunded.append(payment_id)
        return Refund(Provider.STRIPE, "re_1", payment_id, Money(1, "EUR"), RefundStatus.SUCCEEDED)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        raise AssertionError("not used")


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Provider_:
    from nozzly.payments.adapters import providers

    fake = Provider_()
    monkeypatch.setattr(providers, "payment_gateways", lambda settings: {p: fake for p in Provider})
    return fake


@pytest.fixture
def shop(cloud: Cloud, provider: Provider_) -> Cloud:
    seed_store(cloud)
    CouponsRepository(cloud.names["StoresTable"]).create(
        Coupon(STORE, "ONCE", CouponKind.FIXED, 500, "EUR", max_uses=1)
    )
    return cloud


def coupon_uses(cloud: Cloud) -> int:
    coupon = CouponsRepository(cloud.names["StoresTable"]).get(STORE, "ONCE")
    assert coupon is not None
    return coupon.uses


def lambda_error(error_type: str, message: str) -> dict[str, str]:
    """A Catch's output for a step that raised: Step Functions puts the Lambda error payload in Cause."""
    return {"Error": error_type, "Cause": json.dumps({"errorType": error_type, "errorMessage": message})}


def a_checkout(cloud: Cloud, method: str, key: str = "key-compensate-1") -> tuple[str, Any]:
    cart = guest_cart(cloud)
    assert cart.add(quantity=2).status == 200
    assert cart.call("PUT", "/coupon", {"code": "ONCE"}).status == 200
    started = check_out(cart, key, payment_method=method)
    assert started.status == 202, started.body
    return str(started.body["id"]), cart


def advance(cloud: Cloud, checkout: str, provider: Provider_, until: str) -> None:
    """Run the saga's steps as far as the state whose failure is being tried."""
    if until == "processing":
        return
    outcome = step(cloud, "reserve", checkout)
    assert outcome["held"] is True
    if until == "reserved":
        return
    step(cloud, "start_payment", checkout, task_token="token-1", reserved=outcome)
    if until == PAID:
        provider.status[f"pi_{checkout}"] = PaymentStatus.SUCCEEDED


# (the status the checkout is in when its step fails, what the Catch hands Abandon, the reason the shopper reads)
PATHS = [
    pytest.param("processing", lambda_error("KeyError", "'variants'"), "could not be completed", id="reserve-crashed"),
    pytest.param("processing", {"Error": "Lambda.Unknown", "Cause": "Task timed out"}, "could not be completed",
                 id="reserve-timed-out-before-holding"),
    pytest.param("reserved", {"Error": "States.Timeout", "Cause": ""}, "not completed in time",
                 id="reserve-held-then-its-answer-was-lost"),
    pytest.param("reserved", lambda_error("InvalidInput", "bad"), "could not be completed",
                 id="payment-refused-to-start"),
    pytest.param(STARTED, {"Error": "States.Timeout", "Cause": ""}, "not completed in time", id="payment-timed-out"),
    pytest.param(STARTED, {"Error": "PaymentFailed", "Cause": "card_declined"}, "card_declined", id="card-declined"),
    pytest.param(STARTED, lambda_error("Lambda.Unknown", "Runtime exited"), "could not be completed",
                 id="payment-step-crashed"),
    pytest.param(PAID, lambda_error("CheckoutNotHeld", "released"), "could not be completed",
                 id="place-order-refused-after-payment"),
    pytest.param(PAID, lambda_error("ClientError", "throttled"), "could not be completed",
                 id="place-order-crashed-after-payment"),
]  # fmt: skip


@pytest.mark.parametrize(("at", "error", "reason"), PATHS)
def test_every_path_into_abandon_leaves_nothing_held_charged_or_claimed(
    shop: Cloud, provider: Provider_, at: str, error: dict[str, str], reason: str
) -> None:
    checkout, cart = a_checkout(shop, "stripe_payment_intent")
    advance(shop, checkout, provider, at)

    outcome = step(shop, "abandon", checkout, error=error)
    again = step(shop, "abandon", checkout, error=error)  # Abandon's own retry

    assert outcome["status"] == again["status"] == "failed"
    assert reason in (status(shop, checkout)["reason"] or "")
    assert reserved(shop)["standard"] == 0
    assert coupon_uses(shop) == 0
    payment = f"pi_{checkout}"
    if at == PAID:
        assert provider.refunded == [payment]
        assert provider.cancelled == []
    elif at == STARTED:
        assert provider.cancelled[:1] == [payment] and provider.refunded == []
    else:
        assert provider.cancelled == provider.refunded == []
    assert check_out(cart, "key-after-failing").status == 202  # the cart is free again


def test_abandon_still_releases_the_stock_when_the_provider_does_not_answer(shop: Cloud, provider: Provider_) -> None:
    checkout, _ = a_checkout(shop, "stripe_payment_intent")
    advance(shop, checkout, provider, STARTED)
    provider.down = True

    outcome = step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})

    assert outcome["status"] == "failed"
    assert reserved(shop)["standard"] == 0 and coupon_uses(shop) == 0


@pytest.fixture
def seen(provider: Provider_) -> list[PaymentRequest]:
    """Every payment the saga asks the provider to start."""
    started: list[PaymentRequest] = []
    start = provider.start

    def recording(request: PaymentRequest) -> Payment:
        started.append(request)
        return start(request)

    provider.start = recording  # type: ignore[method-assign]
    return started


def test_a_stripe_checkout_session_payment_starts_with_its_return_url(shop: Cloud, seen: list[PaymentRequest]) -> None:
    """The saga once dropped the return_url the request carried, so every such checkout was abandoned."""
    cart = guest_cart(shop)
    cart.add()
    started = check_out(cart, "key-session-01", payment_method="stripe_checkout_session",
                        return_url="https://shop.example/thanks")  # fmt: skip
    checkout = started.body["id"]
    outcome = step(shop, "reserve", checkout)

    step(shop, "start_payment", checkout, task_token="token-1", reserved=outcome)

    assert [r.return_url for r in seen] == ["https://shop.example/thanks"]
    assert status(shop, checkout)["status"] == "awaiting_payment"


def test_a_square_card_payment_step_retried_after_it_parked_starts_the_same_payment(
    shop: Cloud, seen: list[PaymentRequest]
) -> None:
    """Step Functions retries a step whose answer was lost (Lambda.Unknown): the card token must still be there."""
    cart = guest_cart(shop)
    cart.add()
    started = check_out(cart, "key-square-001", payment_method="square_card", source_token="cnon:card-nonce-ok")
    checkout = started.body["id"]
    outcome = step(shop, "reserve", checkout)

    step(shop, "start_payment", checkout, task_token="token-1", reserved=outcome)
    step(shop, "start_payment", checkout, task_token="token-2", reserved=outcome)  # the retry

    assert [(r.source_token, r.idempotency_key) for r in seen] == [("cnon:card-nonce-ok", f"pay-{checkout}")] * 2
    assert status(shop, checkout)["status"] == "awaiting_payment"
    step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})
    item = shop.item("OrdersTable", STORE, f"CHECKOUT#{checkout}")
    assert item is not None and "source_token" not in item  # gone once the checkout has ended


class GiveBackFailed(Exception):
    """Stands for anything that stops the abandon step as it gives the code's use back (a crash, a timeout)."""


def test_an_abandon_that_fails_as_it_gives_the_code_back_changes_nothing_and_its_retry_gives_it_back_once(
    shop: Cloud, provider: Provider_
) -> None:
    """The give-back once ran after the release's transaction: a failure there left the use counted for good,
    as the retry found the checkout failed already. Now it is part of that transaction."""
    from nozzly.kernel.adapters import aws

    coupons = CouponsRepository(shop.names["StoresTable"])
    # Two uses by other orders already; the shopper's own limit counts this one.
    coupons.create(Coupon(STORE, "THRICE", CouponKind.FIXED, 500, "EUR", max_uses=3, max_uses_per_shopper=2, uses=2))
    cart = guest_cart(shop)
    assert cart.add(quantity=2).status == 200
    assert cart.call("PUT", "/coupon", {"code": "THRICE"}).status == 200
    checkout = check_out(cart, "key-give-back-1", payment_method="stripe_payment_intent").body["id"]
    advance(shop, checkout, provider, STARTED)
    shopper = f"email:{BODY['email']}"
    assert coupons.get(STORE, "THRICE").uses == 3  # type: ignore[union-attr]
    assert coupons.shopper_uses(STORE, "THRICE", shopper) == 1

    def fail_at_the_give_back(params: dict[str, Any], **_: Any) -> None:
        if "ADD uses :minus" in json.dumps(params.get("TransactItems")):
            raise GiveBackFailed

    dynamodb = aws.client("dynamodb")
    dynamodb.meta.events.register("before-parameter-build.dynamodb.TransactWriteItems", fail_at_the_give_back)
    try:
        with pytest.raises(GiveBackFailed):
            step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})
    finally:
        dynamodb.meta.events.unregister("before-parameter-build.dynamodb.TransactWriteItems", fail_at_the_give_back)

    assert status(shop, checkout)["status"] == "awaiting_payment"  # not failed: the retry has it all to do
    assert reserved(shop)["standard"] == 2
    assert coupons.get(STORE, "THRICE").uses == 3  # type: ignore[union-attr]

    assert step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})["status"] == "failed"
    assert step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})["status"] == "failed"

    assert reserved(shop)["standard"] == 0
    assert coupons.get(STORE, "THRICE").uses == 2  # type: ignore[union-attr]  # given back once, not twice
    assert coupons.shopper_uses(STORE, "THRICE", shopper) == 0
