"""Payout rules: when a store may take card payments, the platform's fee in minor units, account.updated read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.gateway import UnusableEvent
from nozzly.payments.adapters.stripe_gateway import stripe_event
from nozzly.payments.domain.payments import PaymentFlow, PaymentRequest, Provider
from nozzly.payments.domain.payouts import (
    AccountEvent,
    ConnectedAccount,
    PayoutsNotReady,
    PayoutState,
    application_fee,
    payout_state,
    require_ready,
)

pytestmark = pytest.mark.unit


def account(**flags: Any) -> ConnectedAccount:
    return ConnectedAccount(Provider.STRIPE, "acct_1", **flags)


@pytest.mark.parametrize(
    ("found", "state"),
    [
        (None, PayoutState.NOT_STARTED),
        (account(), PayoutState.ONBOARDING),
        (account(charges_enabled=True), PayoutState.ONBOARDING),  # Stripe still checking payouts
        (account(details_submitted=True), PayoutState.RESTRICTED),  # submitted, still refused
        (account(disabled_reason="requirements.past_due"), PayoutState.RESTRICTED),
        (account(charges_enabled=True, payouts_enabled=True, details_submitted=True), PayoutState.READY),
        (account(charges_enabled=True, payouts_enabled=True), PayoutState.READY),
    ],
)
def test_the_state_follows_stripes_flags(found: ConnectedAccount | None, state: PayoutState) -> None:
    assert payout_state(found) is state


def test_only_a_ready_account_takes_card_payments_and_the_refusal_says_why() -> None:
    ready = account(charges_enabled=True, payouts_enabled=True)
    assert require_ready(ready) is ready
    with pytest.raises(PayoutsNotReady) as none:
        require_ready(None)
    with pytest.raises(PayoutsNotReady) as restricted:
        require_ready(account(details_submitted=True, disabled_reason="requirements.past_due"))
    assert none.value.code == "payouts_not_ready" and "start Stripe onboarding" in none.value.message
    assert "requirements.past_due" in restricted.value.message


@pytest.mark.parametrize(
    ("amount", "basis_points", "fee"),
    [
        (10000, 250, 250),  # 2.5 % of 100.00
        (1999, 250, 50),  # 49.975 rounds half up
        (1990, 250, 50),  # 49.75
        (1980, 250, 50),  # 49.5 rounds up
        (1979, 250, 49),  # 49.475
        (1, 9999, 1),
        (3, 100, None),  # 0.03: no fee at all (Stripe refuses a zero fee)
        (50206, 0, None),
        (99_999_999_999, 250, 2_500_000_000),  # 2,499,999,999.975 -> up
    ],
)
def test_the_platform_fee_is_whole_minor_units_rounded_half_up(amount: int, basis_points: int, fee: int | None) -> None:
    found = application_fee(Money(amount, "EUR"), basis_points)
    assert found == (None if fee is None else Money(fee, "EUR"))


@pytest.mark.parametrize("basis_points", [-1, 10000, 25000])
def test_a_fee_outside_0_to_9999_basis_points_is_refused(basis_points: int) -> None:
    with pytest.raises(InvalidInput):
        application_fee(Money(1000, "EUR"), basis_points)


def test_a_fee_without_a_destination_or_not_below_the_amount_is_not_a_payment_request() -> None:
    common: Any = {
        "store_id": "s",
        "checkout_id": "c",
        "idempotency_key": "k",
        "flow": PaymentFlow.STRIPE_PAYMENT_INTENT,
    }
    with pytest.raises(InvalidInput):
        PaymentRequest(amount=Money(100, "EUR"), application_fee=Money(5, "EUR"), **common)
    with pytest.raises(InvalidInput):
        PaymentRequest(amount=Money(100, "EUR"), destination="acct_1", application_fee=Money(100, "EUR"), **common)
    ok = PaymentRequest(amount=Money(100, "EUR"), destination="acct_1", application_fee=Money(3, "EUR"), **common)
    assert ok.destination == "acct_1"


def updated(obj: dict[str, Any], created: Any = 1_796_000_000) -> dict[str, Any]:
    return {"id": "evt_1", "type": "account.updated", "created": created, "data": {"object": obj}}


def test_account_updated_is_read_with_its_store_flags_and_time() -> None:
    obj = {
        "id": "acct_9",
        "object": "account",
        "charges_enabled": True,
        "payouts_enabled": False,
        "details_submitted": True,
        "requirements": {"disabled_reason": None},
        "metadata": {"store_id": "lantern-loom"},
    }
    event = stripe_event(json.loads(json.dumps(updated(obj))))
    assert event == AccountEvent(
        Provider.STRIPE, "evt_1", "acct_9", "lantern-loom", True, False, True, None, 1_796_000_000
    )


@pytest.mark.parametrize(
    "obj",
    [
        {"charges_enabled": True},  # no id
        {"id": "acct_9", "charges_enabled": "yes"},
        {"id": "acct_9", "metadata": {"store_id": 7}},
    ],
)
def test_an_account_updated_nozzly_cannot_read_is_unusable(obj: dict[str, Any]) -> None:
    with pytest.raises(UnusableEvent):
        stripe_event(updated(obj))


def test_a_connect_endpoints_own_secret_is_accepted_beside_the_platforms() -> None:
    from nozzly.payments.adapters.stripe_gateway import StripeWebhooks
    from tests.payment_samples import stripe_signature

    body = json.dumps(updated({"id": "acct_9", "metadata": {"store_id": "s"}}))
    webhooks = StripeWebhooks("whsec_platform", connect_secret="whsec_connect")

    for secret in ("whsec_platform", "whsec_connect"):
        found = webhooks.parse(body.encode(), {"Stripe-Signature": stripe_signature(body, secret)})
        assert isinstance(found, AccountEvent) and found.account_id == "acct_9"
    with pytest.raises(InvalidInput):
        webhooks.parse(body.encode(), {"Stripe-Signature": stripe_signature(body, "whsec_someone_else")})
