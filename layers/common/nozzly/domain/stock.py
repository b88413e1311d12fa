"""Stock adjustments: an operator's change to a variant's stock on hand, with the reason, kept as a ledger."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.domain.catalog import Variant
from nozzly.domain.errors import Conflict, InvalidInput

MAX_DELTA: Final = 1_000_000


class AdjustmentReason(StrEnum):
    RECEIVED = "received"  # goods in
    RETURNED = "returned"  # back on the shelf
    COUNT = "count"  # a stocktake found a different number
    DAMAGED = "damaged"
    LOST = "lost"
    CORRECTION = "correction"


@dataclass(frozen=True, slots=True)
class StockAdjustment:
    store_id: str
    product: str
    variant: str
    delta: int
    reason: AdjustmentReason
    note: str
    on_hand_after: int
    by: str  # the operator's sub
    at: int  # epoch milliseconds
    adjustment_id: str


def adjusted_on_hand(variant: Variant, delta: int) -> int:
    """Stock on hand after the change. Never below what checkouts hold (reserved), never below zero."""
    if delta == 0 or abs(delta) > MAX_DELTA:
        raise InvalidInput(f"delta must be a non-zero whole number of at most {MAX_DELTA} units", field="delta")
    after = variant.stock_on_hand + delta
    if after < max(variant.reserved, 0):
        raise Conflict(
            f"variant {variant.variant_id!r} has {variant.stock_on_hand} on hand and {variant.reserved} reserved: "
            f"it cannot lose {-delta}",
            field="delta",
        )
    return after
