"""The order confirmation: rendered from its templates with the store's branding, sent once per order."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.auth_helpers import outbox
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.test_carts import GILDED, guest_cart
from tests.functional.test_checkout import check_out, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def placed(cloud: Cloud) -> tuple[Cloud, str, int]:
    seed_store(cloud)
    cart = guest_cart(cloud)
    cart.add(quantity=2)
    cart.add(variant=GILDED)
    checkout = check_out(cart).body["id"]
    step(cloud, "reserve", checkout)
    number = step(cloud, "place_order", checkout)["order_number"]
    return cloud, checkout, number


def order_placed(checkout: str, number: int) -> dict[str, Any]:
    """The event as EventBridge hands it to the function (CheckoutStateMachine's AnnounceOrder)."""
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "OrderPlaced",
        "source": "nozzly.checkout",
        "account": "123456789012",
        "time": "2026-11-22T06:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {"store_id": STORE, "order_id": checkout, "order_number": number},
    }


def test_the_shopper_gets_one_confirmation_listing_the_order(placed: tuple[Cloud, str, int]) -> None:
    cloud, checkout, number = placed

    first = cloud.invoke("OrderEmails", order_placed(checkout, number))
    again = cloud.invoke("OrderEmails", order_placed(checkout, number))  # EventBridge delivers at least once

    assert (first, again) == ({"outcome": "sent"}, {"outcome": "already sent"})
    sent = outbox("sam@example.com")
    assert len(sent) == 1
    assert sent[0].subject == f"Your Mystmere Forge order #{number}"
    html = sent[0].body  # the outbox shows the HTML part
    assert "2 &times; Ember Longsword" in html and "258.00 EUR" in html
    assert "(Gilded hilt)" in html and "159.00 EUR" in html
    assert "<strong>502.06 EUR</strong>" in html
    assert "You pay on delivery" in html and "Hauptstrasse 1" in html


def test_an_unknown_order_sends_nothing(placed: tuple[Cloud, str, int]) -> None:
    cloud, _, _ = placed

    assert cloud.invoke("OrderEmails", order_placed("nope", 1)) == {"outcome": "ignored"}
    assert outbox("sam@example.com") == []
