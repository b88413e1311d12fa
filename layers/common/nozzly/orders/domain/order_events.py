"""What one write of an order tells the rest of the system: the events it puts on the bus. Pure Python.

Every change of an order appends to its timeline in the same write (orders/domain/order_rules.py, order_status.py),
so the entries a write added are exactly what happened in it. OrderEvents reads them from the orders table's
stream (old and new image of each write) and turns each into events here:

- a status change: `OrderStatusChanged` {from, to, by, at} for integrators; to cancelled also `OrderCancelled`
  {reason?}, to delivered also `OrderDelivered`;
- marked paid, or placed already paid (a card at checkout, an operator's order paid offline): `PaymentReceived`
  {amount, currency, by};
- a refund settled pending or succeeded: `OrderRefunded` {refund_id (the provider's, or the refund key when
  nobody was asked: cash), amount, currency}; a failed refund returned nothing, so it is no news;
- placed, for manual and pos orders: `OrderPlaced` {channel} (a web order's comes from the checkout saga).

Every detail carries store_id, order_id and order_number. Delivery is at least once: a redelivered stream
record publishes its events again, so consumers deduplicate (OrderEmails claims each email).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from nozzly.orders.domain.orders import (
    Channel,
    Order,
    OrderStatus,
    PaymentState,
    RefundState,
    TimelineEntry,
    TimelineKind,
)

ORDER_PLACED = "OrderPlaced"
STATUS_CHANGED = "OrderStatusChanged"
CANCELLED = "OrderCancelled"
DELIVERED = "OrderDelivered"
PAYMENT_RECEIVED = "PaymentReceived"
REFUNDED = "OrderRefunded"

# Channels whose OrderPlaced is announced here; web orders' comes from the checkout saga's last state.
ANNOUNCED_HERE = frozenset({Channel.MANUAL, Channel.POS})
NEWS_OF_REFUND = frozenset({RefundState.PENDING, RefundState.SUCCEEDED})


@dataclass(frozen=True, slots=True)
class OrderEvent:
    detail_type: str
    detail: dict[str, Any]


def added_entries(before: Order | None, after: Order) -> list[TimelineEntry]:
    """The entries `after` has that `before` had not, in timeline order. Counted, not compared by position,
    so an entry repeated word for word in one second is still news the second time."""
    seen = Counter(before.timeline if before is not None else ())
    added = []
    for entry in after.timeline:
        if seen[entry]:
            seen[entry] -= 1
        else:
            added.append(entry)
    return added


def _status_events(entry: TimelineEntry, base: dict[str, Any]) -> list[OrderEvent]:
    if entry.to_status is None:
        return []
    moved = {
        "from": entry.from_status.value if entry.from_status else None,
        "to": entry.to_status.value,
        "by": entry.by,
        "at": entry.at,
    }
    found = [OrderEvent(STATUS_CHANGED, base | moved)]
    if entry.to_status is OrderStatus.CANCELLED:
        found.append(OrderEvent(CANCELLED, base | ({"reason": entry.note} if entry.note else {})))
    elif entry.to_status is OrderStatus.DELIVERED:
        found.append(OrderEvent(DELIVERED, dict(base)))
    return found


def _refund_events(order: Order, entry: TimelineEntry, base: dict[str, Any]) -> list[OrderEvent]:
    refund = order.refund(entry.ref) if entry.ref else None
    if refund is None or refund.state not in NEWS_OF_REFUND:
        return []
    detail = {"refund_id": refund.refund_id or refund.key, "amount": refund.amount.amount, "currency": order.currency}
    return [OrderEvent(REFUNDED, base | detail)]


def _placed_events(order: Order, base: dict[str, Any]) -> list[OrderEvent]:
    """A new order: announced here unless the checkout saga does; an order paid as it was placed (a card at
    checkout, an operator's order paid offline) also has its payment received."""
    found = (
        [OrderEvent(ORDER_PLACED, base | {"channel": order.channel.value})] if order.channel in ANNOUNCED_HERE else []
    )
    if order.payment_state is PaymentState.PAID:
        paid = {"amount": order.totals.total.amount, "currency": order.currency, "by": "system"}
        found.append(OrderEvent(PAYMENT_RECEIVED, base | paid))
    return found


def _entry_events(order: Order, entry: TimelineEntry) -> list[OrderEvent]:
    base: dict[str, Any] = {"store_id": order.store_id, "order_id": order.order_id, "order_number": order.number}
    match entry.kind:
        case TimelineKind.STATUS_CHANGED:
            return _status_events(entry, base)
        case TimelineKind.REFUND_SETTLED:
            return _refund_events(order, entry, base)
        case TimelineKind.MARKED_PAID:
            paid = {"amount": order.totals.total.amount, "currency": order.currency, "by": entry.by}
            return [OrderEvent(PAYMENT_RECEIVED, base | paid)]
        case TimelineKind.PLACED:
            return _placed_events(order, base)
        case _:
            return []


def order_events(before: Order | None, after: Order | None) -> list[OrderEvent]:
    """The events of one write of an order (None before: it was created; None after: it was deleted)."""
    if after is None:
        return []
    return [event for entry in added_entries(before, after) for event in _entry_events(after, entry)]
