"""Orders for the order tests: placed through the real checkout (a shopper's cart, the saga's steps), and a
recording payment gateway standing in for the providers, which the functional harness cannot reach.

Imported as `tests.functional.order_helpers`.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.payments.domain.payments import Payment, PaymentEvent, PaymentRequest, Provider, Refund, RefundStatus
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.test_carts import CartApi

ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}
_keys = itertools.count()


def place_order(cart: CartApi, quantity: int = 1, variant: str = "standard") -> str:
    """A cash-on-delivery order of the cart's shopper (or guest), placed by the saga's steps as the state machine
    runs them."""
    assert cart.add(quantity=quantity, variant=variant).status == 200
    body = {
        "email": "sam@example.com",
        "shipping_address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": "cash_on_delivery",
    }
    guest = cart.claims is None
    body |= {"session_id": cart.params["session"]} if guest else {}
    event = api_event(
        "POST /stores/{store}/checkout" if guest else "POST /stores/{store}/me/checkout",
        path_parameters={"store": STORE},
        body=body,
        headers={"idempotency-key": f"order-key-{next(_keys):06d}"},
        claims=cart.claims,
    )
    started = cart.cloud.http("Checkout", event)
    assert started.status == 202, started.body
    checkout = str(started.body["id"])
    ids = {"store_id": STORE, "checkout_id": checkout}
    reserved = cart.cloud.invoke("CheckoutSteps", {"step": "reserve"} | ids)
    cart.cloud.invoke("CheckoutSteps", {"step": "place_order"} | ids)
    # As the state machine passes it on: the reserve step's outcome names the cart to clear.
    whose = {"cart": reserved["cart"]} if "cart" in reserved else {}
    cart.cloud.invoke("CheckoutSteps", {"step": "clear_cart"} | ids | whose)
    return checkout


def paid_by_card(cloud: Cloud, order_id: str, provider: str = "stripe", payment_id: str = "pi_paid") -> None:
    """The order as a card checkout leaves it: paid through a provider."""
    method = "stripe_payment_intent" if provider == "stripe" else "square_card"
    cloud.client("dynamodb").update_item(
        TableName=cloud.names["OrdersTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": f"ORDER#{order_id}"}},
        UpdateExpression="SET payment_state = :paid, payment_method = :m, payment = :p",
        ExpressionAttributeValues={
            ":paid": {"S": "paid"},
            ":m": {"S": method},
            ":p": {"M": {"provider": {"S": provider}, "payment_id": {"S": payment_id}}},
        },
    )


def stored_order(cloud: Cloud, order_id: str) -> dict[str, Any]:
    item = cloud.item("OrdersTable", STORE, f"ORDER#{order_id}")
    assert item is not None
    return from_item(item)


def reserved(cloud: Cloud, slug: str = "ember-longsword") -> dict[str, int]:
    item = cloud.item("CatalogTable", STORE, f"PRODUCT#{slug}")
    assert item is not None
    return {v["id"]: int(v.get("reserved", 0)) for v in from_item(item)["variants"]}


@dataclass
class RecordingGateway:
    """Refunds as a provider makes them: one per idempotency key (a repeated key answers the same refund).

    It does not cap refunds at the payment, unlike Stripe and Square: whatever keeps the total within what was
    paid is Nozzly's. `crash` makes the next refund call fail after nothing happened (a network error);
    `refuse` makes every call a refusal.
    """

    provider: Provider = Provider.STRIPE
    made: dict[str, Refund] = field(default_factory=dict)  # idempotency key -> refund
    calls: list[tuple[str, int | None, str]] = field(default_factory=list)
    crash: bool = False
    refuse: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refund(self, payment_id: str, amount: Money | None, idempotency_key: str) -> Refund:
        with self.lock:
            self.calls.append((payment_id, None if amount is None else amount.amount, idempotency_key))
            if self.crash:
                self.crash = False
                raise ConnectionError("the provider did not answer")
            if self.refuse:
                raise InvalidInput("Stripe: Charge has been disputed", field="payment")
            if idempotency_key not in self.made:
                assert amount is not None, "Nozzly always names the amount"
                self.made[idempotency_key] = Refund(
                    self.provider, f"re_{len(self.made) + 1}", payment_id, amount, RefundStatus.SUCCEEDED
                )
            return self.made[idempotency_key]

    @property
    def refunded(self) -> int:
        return sum(r.amount.amount for r in self.made.values())

    def start(self, request: PaymentRequest) -> Payment:
        raise AssertionError("no payment starts in these tests")

    def retrieve(self, payment_id: str) -> Payment:
        raise AssertionError("not used")

    def cancel(self, payment_id: str) -> Payment:
        raise AssertionError("not used")

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        raise AssertionError("not used")


def use_gateway(monkeypatch: pytest.MonkeyPatch, gateway: RecordingGateway) -> RecordingGateway:
    """The functions build their gateways from this one place; the test's fake answers for both providers."""
    from nozzly.payments.adapters import providers

    monkeypatch.setattr(providers, "payment_gateways", lambda settings: {p: gateway for p in Provider})
    return gateway


def shopper_call(cart: CartApi, method: str, suffix: str = "", **params: str) -> HttpResponse:
    path = {k: v for k, v in params.items() if f"{{{k}}}" in suffix} | {"store": STORE}
    query = {k: v for k, v in params.items() if k not in path}
    event = api_event(f"{method} /stores/{{store}}/me/orders{suffix}", path_parameters=path, claims=cart.claims)
    if query:
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
        event["queryStringParameters"] = query
    return cart.cloud.http("ShopperOrders", event)
