"""The stock ledger: every change to a variant's stock on hand, with why. Operators post adjustments (with an
AdjustmentReason); the "fulfil order" workflow writes what it ships (reason `fulfilment`, with the order)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TypeAlias

from nozzly.catalog.domain.catalog import Variant
from nozzly.kernel.domain.errors import Conflict, InvalidInput

if TYPE_CHECKING:  # the ledger's readers need no hold planning
    from nozzly.catalog.domain.stock_holds import ProductHold

MAX_DELTA: Final = 1_000_000


class AdjustmentReason(StrEnum):
    RECEIVED = "received"  # goods in
    RETURNED = "returned"  # back on the shelf
    COUNT = "count"  # a stocktake found a different number
    DAMAGED = "damaged"
    LOST = "lost"
    CORRECTION = "correction"


class CommitReason(StrEnum):
    """Stock the workflows move. Deliberately not an AdjustmentReason: no operator can post one."""

    FULFILMENT = "fulfilment"  # shipped: taken off on hand (and reserved) by the "fulfil order" workflow


LedgerReason: TypeAlias = AdjustmentReason | CommitReason


def ledger_reason(value: str) -> LedgerReason:
    """A stored reason read back (either kind)."""
    return CommitReason(value) if value in {r.value for r in CommitReason} else AdjustmentReason(value)


@dataclass(frozen=True, slots=True)
class ShipmentReference:
    """What a fulfilment's ledger entry points at: the order (id and number) and the fulfilment on it."""

    order_id: str
    order_number: int
    fulfilment_id: str


@dataclass(frozen=True, slots=True)
class StockAdjustment:
    store_id: str
    product: str
    variant: str
    delta: int
    reason: LedgerReason
    note: str
    on_hand_after: int
    by: str  # the operator's sub (a fulfilment's: the operator who asked for it)
    at: int  # epoch milliseconds
    adjustment_id: str
    shipment: ShipmentReference | None = None  # set on (only) a fulfilment's entries


# One TransactWriteItems holds at most 100 items; a fulfilment's commit writes the order, each product once and
# one ledger entry per variant.
MAX_COMMIT_WRITES: Final = 100


def commit_writes(lines: Iterable[tuple[str, str]]) -> int:
    """Items the commit of these (product, variant) lines writes in its one transaction."""
    variants = set(lines)
    return 1 + len({product for product, _ in variants}) + len(variants)


def shipped_entries(
    store_id: str, plan: Sequence[ProductHold], *, shipment: ShipmentReference, by: str, at: int
) -> list[StockAdjustment]:
    """The ledger entries of a fulfilment's commit, one per variant: its quantity off on hand as read (the
    commit is conditioned on that read, so `on_hand_after` is what the transaction leaves). The fulfilment's
    id is the entry's id: one fulfilment has at most one entry per variant."""
    operator = by.removeprefix("operator:")
    return [
        StockAdjustment(
            store_id=store_id,
            product=product.product_slug,
            variant=hold.variant_id,
            delta=-hold.quantity,
            reason=CommitReason.FULFILMENT,
            note=f"shipped with order {shipment.order_number}",
            on_hand_after=hold.on_hand - hold.quantity,
            by=operator,
            at=at,
            adjustment_id=shipment.fulfilment_id,
            shipment=shipment,
        )
        for product in plan
        for hold in product.holds
    ]


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
