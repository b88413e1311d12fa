"""What one order adds to its store's sales aggregates: a pure function of the order as it is now. Pure Python.

The aggregates are sums of every order's contribution. When an order changes, the stream consumer computes its
contribution again from the new order and applies only the difference to the counters, in the same transaction
that records the new contribution with the order's version (analytics/adapters/sales_aggregates.py). So a record
replayed, or older than the one already applied, finds a version at or above its own and changes nothing, and
intermediate records that were skipped cannot matter: the newest order holds the whole story.

Cells are `(bucket, metric)`: the bucket is a store-local day (ISO date) or PIPELINE. Day metrics:

- `orders`: orders placed that day, any channel; `units`: items in them;
- `gross`: what those orders charge (total with tax and shipping); `discounts`, `tax`, `shipping`: its parts;
- `refunds`: refunds on the day the provider accepted them (pending or succeeded); a requested refund has moved
  no money yet and a failed one never will;
- `voided`: an order closed (cancelled or returned) before it was ever paid - no money moved, so nothing is
  refunded, but the sale did not happen: its total leaves net sales on the day it was closed;
- `reached.{status}`: orders that reached the status that day (placement reaches `pending`), each order once
  per status;
- `new_customers`: orders that were their email's first in the store;
- `u.{product}/{variant}`, `r.{product}/{variant}`: units and line revenue per variant on the day placed, taken
  back on the day a never-paid order was voided.

Net sales are `gross - refunds - voided`, computed when read. PIPELINE holds `status.{status}` (each order counts
1 in its current status) and `customers` (first orders).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date
from typing import Final
from zoneinfo import ZoneInfo

from nozzly.analytics.domain.calendar import day_key, local_day
from nozzly.orders.domain.orders import Order, OrderStatus, PaymentState, RefundState, TimelineKind

PIPELINE: Final = "PIPELINE"
MOVED = frozenset({RefundState.PENDING, RefundState.SUCCEEDED})  # the provider took it: the money is on its way
CLOSED = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})

Cell = tuple[str, str]  # (bucket: ISO day or PIPELINE, metric)
Contribution = dict[Cell, int]


def variant_metric(kind: str, product: str, variant: str) -> str:
    """`u.{product}/{variant}` (units) or `r.{product}/{variant}` (revenue); slugs hold no '/' or '.'."""
    return f"{kind}.{product}/{variant}"


def contribution(order: Order, tz: ZoneInfo, *, new_customer: bool) -> Contribution:
    """Everything the order adds, as it stands. Amounts are in the order's currency (a store sells in one)."""
    cells: Counter[Cell] = Counter()

    def day(epoch: int) -> str:
        return day_key(local_day(epoch, tz))

    placed = day(order.created_at)
    totals = order.totals
    cells[(placed, "orders")] += 1
    cells[(placed, "gross")] += totals.total.amount
    cells[(placed, "discounts")] += totals.discount.amount
    cells[(placed, "tax")] += totals.tax.amount
    cells[(placed, "shipping")] += totals.shipping.amount
    for line in order.lines:
        cells[(placed, "units")] += line.quantity
        cells[(placed, variant_metric("u", line.product_slug, line.variant_id))] += line.quantity
        cells[(placed, variant_metric("r", line.product_slug, line.variant_id))] += line.total.amount
    if new_customer:
        cells[(placed, "new_customers")] += 1
        cells[(PIPELINE, "customers")] += 1
    _reached(order, day, cells)
    _refunds(order, day, cells)
    _voided(order, day, cells)
    cells[(PIPELINE, f"status.{order.status.value}")] += 1
    return {cell: amount for cell, amount in cells.items() if amount}


def _reached(order: Order, day: Callable[[int], str], cells: Counter[Cell]) -> None:
    seen: set[OrderStatus] = set()
    for entry in order.timeline:
        if entry.to_status is None or entry.to_status in seen:
            continue
        seen.add(entry.to_status)
        cells[(day(entry.at), f"reached.{entry.to_status.value}")] += 1


def _refunds(order: Order, day: Callable[[int], str], cells: Counter[Cell]) -> None:
    settled_at: dict[str, int] = {}
    for entry in order.timeline:
        if entry.kind is TimelineKind.REFUND_SETTLED and entry.ref:
            settled_at.setdefault(entry.ref, entry.at)  # the first answer that took the money
    for refund in order.refunds:
        if refund.state in MOVED:
            cells[(day(settled_at.get(refund.key, refund.at)), "refunds")] += refund.amount.amount


def _voided(order: Order, day: Callable[[int], str], cells: Counter[Cell]) -> None:
    if order.status not in CLOSED or order.payment_state is not PaymentState.AWAITING:
        return
    closed_at = next(
        (e.at for e in reversed(order.timeline) if e.to_status is order.status), order.cancelled_at or order.created_at
    )
    when = day(closed_at)
    cells[(when, "voided")] += order.totals.total.amount
    for line in order.lines:
        cells[(when, variant_metric("u", line.product_slug, line.variant_id))] -= line.quantity
        cells[(when, variant_metric("r", line.product_slug, line.variant_id))] -= line.total.amount


def difference(new: Mapping[Cell, int], old: Mapping[Cell, int]) -> Contribution:
    """What to add to the counters to go from `old` to `new`; cells that do not change are left out."""
    found = {cell: new.get(cell, 0) - old.get(cell, 0) for cell in set(new) | set(old)}
    return {cell: amount for cell, amount in found.items() if amount}


def buckets(cells: Mapping[Cell, int]) -> dict[str, dict[str, int]]:
    """The cells grouped by bucket (one counter item each)."""
    grouped: dict[str, dict[str, int]] = {}
    for (bucket, metric), amount in cells.items():
        grouped.setdefault(bucket, {})[metric] = amount
    return grouped


def is_day(bucket: str) -> bool:
    return bucket != PIPELINE


def parse_day(bucket: str) -> date:
    return date.fromisoformat(bucket)
