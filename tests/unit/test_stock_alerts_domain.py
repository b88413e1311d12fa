"""Stock alerts fire on crossings only: down to the low-stock threshold from above, up from zero, and back above
the threshold (recovered: it clears the attention list and is never announced)."""

from __future__ import annotations

from dataclasses import replace

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.catalog.domain.stock_alerts import AlertKind, alerts
from nozzly.kernel.domain.money import Money


def product(on_hand: int, reserved: int = 0, *, deleted: bool = False) -> Product:
    variant = Variant("v1", "SKU-1", "Gilded", stock_on_hand=on_hand, reserved=reserved, low_stock_threshold=3)
    return Product("forge", "sword", "Sword", Money(100, "EUR"), "blades", variants=(variant,), deleted=deleted)


def kinds(before: Product | None, after: Product | None) -> list[AlertKind]:
    return [a.kind for a in alerts(before, after)]


def test_falling_to_the_threshold_is_low_stock_once() -> None:
    assert kinds(product(4), product(3)) == [AlertKind.LOW_STOCK]
    assert kinds(product(10), product(10, reserved=8)) == [AlertKind.LOW_STOCK]  # reservations count
    assert kinds(product(3), product(2)) == []  # already low
    assert kinds(product(10), product(5)) == []  # still above


def test_selling_out_from_above_the_threshold_is_low_stock() -> None:
    (alert,) = alerts(product(5), product(0))
    assert (alert.kind, alert.available, alert.threshold, alert.sku) == (AlertKind.LOW_STOCK, 0, 3, "SKU-1")


def test_returning_from_zero_is_back_in_stock() -> None:
    assert kinds(product(0), product(1)) == [AlertKind.BACK_IN_STOCK]
    assert kinds(product(2, reserved=2), product(2, reserved=1)) == [AlertKind.BACK_IN_STOCK]
    assert kinds(product(1), product(2)) == []  # up, but still low and never out


def test_new_removed_or_deleted_products_alert_nobody() -> None:
    assert kinds(None, product(0)) == []
    assert kinds(product(5), None) == []
    assert kinds(product(5), product(0, deleted=True)) == []
    added = replace(product(5), variants=(*product(5).variants, Variant("v2", "SKU-2", "New", stock_on_hand=0)))
    assert kinds(product(5), added) == []


def test_rising_above_the_threshold_is_recovered_and_not_announced() -> None:
    assert kinds(product(3), product(4)) == [AlertKind.RECOVERED]
    assert kinds(product(1), product(5)) == [AlertKind.RECOVERED]
    assert kinds(product(4), product(9)) == []  # was never low
    assert kinds(product(3), product(3)) == []
    assert not AlertKind.RECOVERED.announced
    assert AlertKind.LOW_STOCK.announced and AlertKind.BACK_IN_STOCK.announced


def test_from_zero_to_above_the_threshold_is_back_in_stock_and_recovered() -> None:
    assert kinds(product(0), product(10)) == [AlertKind.BACK_IN_STOCK, AlertKind.RECOVERED]
    assert kinds(product(0), product(3)) == [AlertKind.BACK_IN_STOCK]  # back, but still low
