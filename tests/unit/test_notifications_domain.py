"""What each bus event puts in whose inbox: operators hear of orders, payments, refunds and stock; shoppers of their
own order's payment, shipment (with tracking), delivery, cancellation and refund; ids sort newest first."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.notifications.domain.notifications import (
    OPERATOR_KINDS,
    Audience,
    BusEvent,
    Kind,
    Preferences,
    Recipient,
    compose,
    notification_id,
)

AT = 1_764_800_000_000  # ms


def event(detail_type: str, event_id: str = "e-1", at: int = AT, **detail: Any) -> BusEvent:
    return BusEvent(event_id, detail_type, at, {"store_id": "acme", "order_id": "o-1", "order_number": 1042} | detail)


def test_a_new_order_tells_the_operators_with_its_total_and_links_to_the_console_order() -> None:
    composed = compose(event("OrderPlaced", amount=4400, currency="EUR"))

    assert composed.shopper is None
    n = composed.operators
    assert n is not None
    assert (n.kind, n.title, n.body) == (Kind.ORDER_PLACED, "New order: Order #1042", "Total €44.00.")
    assert n.link == "#/s/acme/orders/o-1"
    assert n.created_at == AT // 1000 and n.read_at is None
    assert n.expires_at == AT // 1000 + 90 * 86_400


def test_a_payment_tells_both_and_the_shopper_link_is_the_account_order_page() -> None:
    composed = compose(event("PaymentReceived", amount=1999, currency="USD"))

    assert composed.operators is not None and composed.operators.kind is Kind.PAYMENT_RECEIVED
    assert composed.shopper is not None
    assert (composed.shopper.kind, composed.shopper.title) == (Kind.ORDER_PAID, "Your order #1042 is paid")
    assert composed.shopper.body == "We received $19.99."
    assert composed.shopper.link == "/account/orders/o-1"


def test_a_shipment_tells_the_shopper_the_carrier_and_tracking() -> None:
    composed = compose(
        event("ShipmentCreated", carrier="DHL", tracking_number="JD01", tracking_url="https://dhl.example/JD01")
    )

    assert composed.operators is None
    assert composed.shopper is not None
    assert composed.shopper.kind is Kind.ORDER_SHIPPED
    assert composed.shopper.body == "Shipped with DHL tracking JD01. Track it: https://dhl.example/JD01"


@pytest.mark.parametrize(
    ("detail_type", "operator_kind", "shopper_kind"),
    [
        ("OrderCancelled", Kind.ORDER_CANCELLED, Kind.MY_ORDER_CANCELLED),
        ("OrderRefunded", Kind.ORDER_REFUNDED, Kind.MY_ORDER_REFUNDED),
        ("OrderDelivered", None, Kind.ORDER_DELIVERED),
    ],
)
def test_order_outcomes_reach_whom_they_concern(
    detail_type: str, operator_kind: Kind | None, shopper_kind: Kind
) -> None:
    composed = compose(event(detail_type, amount=500, currency="EUR"))

    assert (composed.operators.kind if composed.operators else None) == operator_kind
    assert composed.shopper is not None and composed.shopper.kind == shopper_kind


def test_low_stock_links_to_the_product_and_no_shopper_hears_of_it() -> None:
    detail = {"store_id": "acme", "product": "ember", "title": "Ember", "variant_title": "L", "available": 2}
    composed = compose(BusEvent("e-2", "LowStock", AT, detail))

    assert composed.shopper is None
    assert composed.operators is not None
    assert (composed.operators.title, composed.operators.body) == ("Low stock: Ember (L)", "2 left.")
    assert composed.operators.link == "#/s/acme/products/ember"


def test_a_review_to_moderate_links_to_the_queue() -> None:
    detail = {"store_id": "acme", "product": "ember", "title": "Ember", "review_id": "r-1", "rating": 2}
    composed = compose(BusEvent("e-4", "ReviewSubmitted", AT, detail))

    assert composed.shopper is None and composed.operators is not None
    assert (composed.operators.title, composed.operators.body) == ("Review to moderate: Ember", "2 of 5 stars.")
    assert composed.operators.link == "#/s/acme/reviews"


def test_titles_are_plain_text_on_one_line() -> None:
    detail = {"store_id": "acme", "product": "x", "title": "<b>Bold</b>\nname", "available": 1}
    n = compose(BusEvent("e-3", "LowStock", AT, detail)).operators

    assert n is not None and "<" not in n.title and "\n" not in n.title
    assert n.title == "Low stock: ‹b›Bold‹/b› name"


def test_events_without_a_store_or_of_no_interest_notify_nobody() -> None:
    assert compose(BusEvent("e", "OrderPlaced", AT, {"order_id": "o"})) == compose(event("CatalogChanged"))
    assert compose(event("CatalogChanged")).operators is None


def test_ids_sort_newest_first_and_name_the_event() -> None:
    older, newer = notification_id(AT, "b"), notification_id(AT + 1, "a")

    assert sorted([older, newer]) == [newer, older]
    assert notification_id(AT, "e-9").endswith("-e-9")
    with pytest.raises(InvalidInput):
        notification_id(-1, "x")


def test_preferences_default_to_every_kind_and_refuse_unknown_or_shopper_kinds() -> None:
    assert Preferences().enabled == list(OPERATOR_KINDS)
    chosen = Preferences.validated(["low_stock", "low_stock"])
    assert not chosen.wants(Kind.LOW_STOCK) and chosen.wants(Kind.ORDER_PLACED)
    with pytest.raises(InvalidInput):
        Preferences.validated(["order_shipped"])
    with pytest.raises(InvalidInput):
        Preferences.validated(["nonsense"])


def test_rooms_are_per_person_never_a_whole_store() -> None:
    assert Recipient(Audience.OPERATOR, "acme", "sub-1").room == "operator:acme:sub-1"
    assert Recipient(Audience.SHOPPER, "acme", "sub-2").room == "shopper:acme:sub-2"
