"""The recent-activity feed's sentences: one plain line per event an operator cares about, money as they read it."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.analytics.domain.activity import ActivityEvent, describe, money_text

ORDER = {"store_id": "forge", "order_id": "chk-1", "order_number": 1042}
STOCK = {"store_id": "forge", "product": "ember-longsword", "variant": "standard", "title": "Ember Longsword",
         "variant_title": "Standard", "sku": "EMB-1", "available": 3, "threshold": 3}  # fmt: skip


def line(detail_type: str, detail: dict[str, Any]) -> tuple[str, str, str | None] | None:
    found = describe(ActivityEvent("ev-1", "nozzly.orders", detail_type, 1_764_800_000_123, detail))
    return (found.kind, found.text, found.ref) if found is not None else None


@pytest.mark.parametrize(
    ("detail_type", "detail", "expected"),
    [
        ("OrderPlaced", ORDER, ("order_placed", "Order #1042 placed", "chk-1")),
        (
            "OrderPlaced",
            ORDER | {"amount": 4400, "currency": "EUR"},
            ("order_placed", "Order #1042 placed — €44.00", "chk-1"),
        ),
        (
            "PaymentReceived",
            ORDER | {"amount": 15934, "currency": "EUR", "by": "system"},
            ("payment_received", "Payment received for order #1042 — €159.34", "chk-1"),
        ),
        (
            "OrderRefunded",
            ORDER | {"refund_id": "re_1", "amount": 500, "currency": "GBP"},
            ("order_refunded", "Order #1042 refunded — £5.00", "chk-1"),
        ),
        (
            "OrderCancelled",
            ORDER | {"reason": "out of stock"},
            ("order_cancelled", "Order #1042 cancelled: out of stock", "chk-1"),
        ),
        ("OrderCancelled", ORDER, ("order_cancelled", "Order #1042 cancelled", "chk-1")),
        ("OrderDelivered", ORDER, ("order_delivered", "Order #1042 delivered", "chk-1")),
        (
            "OrderStatusChanged",
            ORDER | {"from": "processing", "to": "shipped"},
            ("order_shipped", "Order #1042 shipped", "chk-1"),
        ),
        (
            "OrderStatusChanged",
            ORDER | {"from": "pending", "to": "processing"},
            ("status_changed", "Order #1042 is now processing", "chk-1"),
        ),
        ("LowStock", STOCK, ("low_stock", "Ember Longsword (Standard) is running low: 3 left", "ember-longsword")),
        (
            "BackInStock",
            STOCK | {"available": 12},
            ("back_in_stock", "Ember Longsword (Standard) is back in stock: 12 available", "ember-longsword"),
        ),
    ],
)
def test_each_event_kind_reads_as_one_sentence(
    detail_type: str, detail: dict[str, Any], expected: tuple[str, str, str | None]
) -> None:
    assert line(detail_type, detail) == expected


def test_a_cancellation_or_delivery_is_said_once_not_also_as_a_status_change() -> None:
    assert line("OrderStatusChanged", ORDER | {"from": "processing", "to": "cancelled"}) is None
    assert line("OrderStatusChanged", ORDER | {"from": "shipped", "to": "delivered"}) is None


def test_events_without_a_store_or_of_no_interest_are_left_out() -> None:
    assert line("OrderPlaced", {"order_id": "chk-1", "order_number": 1}) is None
    assert line("CatalogChanged", {"store_id": "forge", "products": []}) is None


def test_the_line_is_dated_in_seconds() -> None:
    found = describe(ActivityEvent("ev-1", "nozzly.orders", "OrderDelivered", 1_764_800_000_999, ORDER))
    assert found is not None and found.at == 1_764_800_000


def test_money_follows_the_currency_minor_unit() -> None:
    assert money_text(4400, "EUR") == "€44.00"
    assert money_text(500, "JPY") == "¥500"
    assert money_text(12345, "KWD") == "KWD 12.345"
    assert money_text(1250, "CHF") == "CHF 12.50"
    assert money_text("12", "EUR") is None and money_text(100, "XXX") is None
