"""The stock ledger's rules: a fulfilment's entries (one per variant, negative, on hand after the commit, pointing
at the order), the commit's transaction budget, and a reason operators can never post."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain.stock import (
    MAX_COMMIT_WRITES,
    AdjustmentReason,
    CommitReason,
    ShipmentReference,
    commit_writes,
    ledger_reason,
    shipped_entries,
)
from nozzly.catalog.domain.stock_holds import ProductHold, VariantHold

pytestmark = pytest.mark.unit
SHIPMENT = ShipmentReference("chk-1", 1042, "ff-abc")


def test_a_fulfilment_enters_each_variant_it_ships_once_with_what_is_left_on_hand() -> None:
    plan = (
        ProductHold("lantern", (VariantHold(0, "brass", 2, on_hand=10), VariantHold(2, "iron", 1, on_hand=1))),
        ProductHold("rope", (VariantHold(1, "10m", 3, on_hand=3),)),
    )

    entries = shipped_entries("forge", plan, shipment=SHIPMENT, by="operator:sub-7", at=1_700_000_000_000)

    assert [(e.product, e.variant, e.delta, e.on_hand_after) for e in entries] == [
        ("lantern", "brass", -2, 8),
        ("lantern", "iron", -1, 0),
        ("rope", "10m", -3, 0),
    ]
    assert {(e.reason, e.shipment, e.adjustment_id, e.by, e.at) for e in entries} == {
        (CommitReason.FULFILMENT, SHIPMENT, "ff-abc", "sub-7", 1_700_000_000_000)
    }
    assert all("1042" in e.note for e in entries)


def test_the_commit_counts_the_order_each_product_and_each_variant() -> None:
    assert commit_writes([("lantern", "brass"), ("lantern", "iron"), ("rope", "10m")]) == 1 + 2 + 3
    assert commit_writes([("lantern", "brass"), ("lantern", "brass")]) == 1 + 1 + 1  # one variant, two lines
    # A full cart (50 products of one variant each) is one write too many for one fulfilment.
    assert commit_writes((f"p{n}", "v") for n in range(50)) == MAX_COMMIT_WRITES + 1
    assert commit_writes((f"p{n}", "v") for n in range(49)) <= MAX_COMMIT_WRITES


def test_fulfilment_is_a_reason_read_back_but_never_an_operators() -> None:
    assert ledger_reason("fulfilment") is CommitReason.FULFILMENT
    assert ledger_reason("damaged") is AdjustmentReason.DAMAGED
    assert "fulfilment" not in {r.value for r in AdjustmentReason}
    with pytest.raises(ValueError):
        AdjustmentReason("fulfilment")
