"""Payment requests, refund amounts and the Square note that carries store and checkout."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import (
    PaymentFlow,
    PaymentRequest,
    Provider,
    parse_square_note,
    refund_amount,
    square_note,
)

pytestmark = pytest.mark.unit
EUR = Money(4900, "EUR")


def request(**changes: object) -> PaymentRequest:
    values: dict[str, object] = {
        "store_id": "mystmereforge",
        "checkout_id": "chk_1",
        "amount": EUR,
        "idempotency_key": "checkout-chk_1-pay-1",
        "flow": PaymentFlow.STRIPE_PAYMENT_INTENT,
    }
    return PaymentRequest(**(values | changes))  # type: ignore[arg-type]


def test_a_request_names_its_provider_by_its_flow() -> None:
    assert request().provider is Provider.STRIPE
    assert request(flow=PaymentFlow.SQUARE_CARD, source_token="cnon:card-nonce-ok").provider is Provider.SQUARE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Money(0, "EUR")}, "amount"),
        ({"amount": Money(-5, "EUR")}, "amount"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"idempotency_key": "k" * 46}, "idempotency_key"),  # Square allows 45
        ({"checkout_id": "c" * 41}, "checkout_id"),  # Square's reference_id allows 40
        ({"flow": PaymentFlow.SQUARE_CARD}, "source_token"),
        ({"flow": PaymentFlow.STRIPE_CHECKOUT_SESSION}, "return_url"),
    ],
)
def test_a_request_providers_would_refuse_is_refused_before_any_call(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        request(**changes)
    assert refused.value.field == field


def test_a_refund_without_an_amount_returns_everything_and_never_more_than_paid() -> None:
    assert refund_amount(None, EUR) == EUR
    assert refund_amount(Money(1000, "EUR"), EUR) == Money(1000, "EUR")
    with pytest.raises(InvalidInput):
        refund_amount(Money(4901, "EUR"), EUR)
    with pytest.raises(InvalidInput):
        refund_amount(Money(0, "EUR"), EUR)
    with pytest.raises(InvalidInput):
        refund_amount(Money(100, "USD"), EUR)


def test_the_square_note_round_trips_store_and_checkout_and_ignores_other_notes() -> None:
    assert parse_square_note(square_note("mystmereforge", "chk_1")) == ("mystmereforge", "chk_1")
    assert parse_square_note("a note typed in the dashboard") == (None, None)
    assert parse_square_note(None) == (None, None)
