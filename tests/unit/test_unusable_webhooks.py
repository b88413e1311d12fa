"""Correctly signed webhooks whose payload Nozzly cannot use are UnusableEvent (acknowledged as ignored), never a
crash; a bad signature is still refused first, whatever the payload."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.payments.adapters.gateway import UnusableEvent
from nozzly.payments.adapters.square_gateway import SquareWebhooks
from nozzly.payments.adapters.stripe_gateway import StripeWebhooks
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
Change = Callable[[dict[str, Any]], None]


def changed(event: dict[str, Any], change: Change) -> dict[str, Any]:
    copied = copy.deepcopy(event)
    change(copied)
    return copied


def stripe_unusable(body: str) -> UnusableEvent:
    with pytest.raises(UnusableEvent) as ignored:
        STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body)})
    assert ignored.value.reason
    return ignored.value


def square_unusable(body: str) -> UnusableEvent:
    with pytest.raises(UnusableEvent) as ignored:
        SQUARE.parse(body.encode(), {"x-square-hmacsha256-signature": square_signature(body)})
    assert ignored.value.reason
    return ignored.value


def intent(key: str, value: Any) -> Change:
    return lambda e: e["data"]["object"].__setitem__(key, value)


STRIPE_SHAPES: dict[str, Change] = {
    "no data": lambda e: e.pop("data"),
    "data is a string": lambda e: e.__setitem__("data", "object"),
    "data without object": lambda e: e["data"].pop("object"),
    "object is a list": lambda e: e["data"].__setitem__("object", [1, 2]),
    "object without id": lambda e: e["data"]["object"].pop("id"),
    "amount is a string": intent("amount", "4900"),
    "amount is not a number": intent("amount", "lots"),
    "amount is a float": intent("amount", 49.5),
    "amount is a boolean": intent("amount", True),
    "amount is negative": intent("amount", -1),
    "amount is missing": lambda e: e["data"]["object"].pop("amount"),
    "amount is null": intent("amount", None),
    "currency is not one Nozzly takes": intent("currency", "zzz"),
    "currency is a number": intent("currency", 978),
    "metadata is a list": intent("metadata", ["chk"]),
    "checkout id is a number": intent("metadata", {"store_id": "mystmereforge", "checkout_id": 7}),
}


@pytest.mark.parametrize("shape", STRIPE_SHAPES)
def test_a_signed_stripe_event_of_an_unusable_shape_is_ignored_naming_its_id(shape: str) -> None:
    event = changed(stripe_intent_event(event_id="evt_bad"), STRIPE_SHAPES[shape])
    assert stripe_unusable(dumps(event)).event_id == "evt_bad"


@pytest.mark.parametrize("event_id", [None, 42, "", {"id": "evt"}])
def test_a_signed_stripe_event_without_a_usable_id_is_ignored(event_id: Any) -> None:
    event = stripe_intent_event()
    if event_id is None:
        event.pop("id")
    else:
        event["id"] = event_id
    assert stripe_unusable(dumps(event)).event_id is None


def test_a_signed_stripe_session_or_refund_with_a_bad_amount_is_ignored() -> None:
    session = changed(stripe_session_event(), intent("amount_total", "12900"))
    stripe_unusable(dumps(session))
    refund = stripe_intent_event("charge.refunded")
    refund["data"]["object"]["amount_refunded"] = "all of it"
    stripe_unusable(dumps(refund))


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"event"', "null", "{"])
def test_a_signed_stripe_body_that_is_not_a_json_object_is_ignored(body: str) -> None:
    stripe_unusable(body)


def test_an_unsigned_or_badly_signed_malformed_stripe_body_is_still_refused() -> None:
    body = dumps(changed(stripe_intent_event(), STRIPE_SHAPES["no data"]))
    with pytest.raises(InvalidInput):
        STRIPE.parse(body.encode(), {})
    with pytest.raises(InvalidInput):
        STRIPE.parse(body.encode(), {"Stripe-Signature": stripe_signature(body, secret="whsec_other")})


def payment(key: str, value: Any) -> Change:
    return lambda e: e["data"]["object"]["payment"].__setitem__(key, value)


SQUARE_SHAPES: dict[str, Change] = {
    "no data": lambda e: e.pop("data"),
    "data is a list": lambda e: e.__setitem__("data", []),
    "object without payment": lambda e: e["data"]["object"].pop("payment"),
    "payment without id": lambda e: e["data"]["object"]["payment"].pop("id"),
    "amount is a string": payment("amount_money", {"amount": "2500", "currency": "USD"}),
    "amount is a float": payment("amount_money", {"amount": 25.0, "currency": "USD"}),
    "amount money is a number": payment("amount_money", 2500),
    "refunded amount is not a number": payment("refunded_money", {"amount": "some", "currency": "USD"}),
    "currency is not one Nozzly takes": payment("amount_money", {"amount": 2500, "currency": "XXX"}),
    "note is a number": payment("note", 5),
}


@pytest.mark.parametrize("shape", SQUARE_SHAPES)
def test_a_signed_square_event_of_an_unusable_shape_is_ignored_naming_its_id(shape: str) -> None:
    event = changed(square_payment_event(event_id="sq_evt_bad"), SQUARE_SHAPES[shape])
    assert square_unusable(dumps(event)).event_id == "sq_evt_bad"


def test_a_signed_square_event_without_an_event_id_is_ignored() -> None:
    event = square_payment_event()
    event.pop("event_id")
    assert square_unusable(dumps(event)).event_id is None


@pytest.mark.parametrize("body", ["not json", "[]", "3"])
def test_a_signed_square_body_that_is_not_a_json_object_is_ignored(body: str) -> None:
    square_unusable(body)


def test_a_badly_signed_malformed_square_body_is_still_refused() -> None:
    body = dumps(changed(square_payment_event(), SQUARE_SHAPES["no data"]))
    with pytest.raises(InvalidInput):
        SQUARE.parse(body.encode(), {"x-square-hmacsha256-signature": square_signature(body, key="other")})
