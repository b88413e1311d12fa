"""The order status machine. Pure Python.

    pending -> processing -> shipped -> delivered
    pending, processing -> cancelled   (nothing shipped yet: the stock goes back, the payment is refunded)
    shipped, delivered -> refunded     (a return: what is left of the payment goes back)

cancelled and refunded are final. Every move is checked here; an illegal one is an IllegalTransition (409)
that names the states the order may move to. Each move appends a timeline entry and bumps the version, so
the write that records it is conditioned on the order as read.
"""

from __future__ import annotations

import dataclasses

from nozzly.kernel.domain.errors import Conflict
from nozzly.orders.domain.orders import Order, OrderStatus, TimelineEntry, TimelineKind

S = OrderStatus
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    S.PENDING: (S.PROCESSING, S.CANCELLED),
    S.PROCESSING: (S.SHIPPED, S.CANCELLED),
    S.SHIPPED: (S.DELIVERED, S.REFUNDED),
    S.DELIVERED: (S.REFUNDED,),
    S.CANCELLED: (),
    S.REFUNDED: (),
}
FINAL = frozenset(s for s, nexts in TRANSITIONS.items() if not nexts)


class IllegalTransition(Conflict):
    """A move the status machine does not allow; `allowed` lists the moves it does (maybe none)."""

    code = "illegal_transition"

    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        self.allowed = tuple(s.value for s in TRANSITIONS[current])
        nexts = ", ".join(self.allowed) if self.allowed else "nothing: it is final"
        super().__init__(
            f"an order that is {current.value} cannot become {wanted.value}; it may become {nexts}", field="status"
        )


def stages() -> dict[str, int]:
    """Each status's distance from pending along the longest path of moves: every move goes to a later stage,
    so of two reports of an order's status the later stage is the newer (pages that hear moves out of order)."""
    found = {S.PENDING: 0}
    waiting = [S.PENDING]
    while waiting:
        status = waiting.pop()
        for following in TRANSITIONS[status]:
            if found.get(following, -1) < found[status] + 1:
                found[following] = found[status] + 1
                waiting.append(following)
    return {status.value: stage for status, stage in found.items()}


def allowed_next(status: OrderStatus) -> tuple[OrderStatus, ...]:
    return TRANSITIONS[status]


def check(order: Order, wanted: OrderStatus) -> None:
    if wanted not in TRANSITIONS[order.status]:
        raise IllegalTransition(order.status, wanted)


def move(order: Order, wanted: OrderStatus, *, by: str, now: float, note: str | None = None) -> Order:
    """The order in `wanted`, with the move in its timeline and its version one higher."""
    check(order, wanted)
    text = f"Status changed from {order.status.value} to {wanted.value}"
    entry = TimelineEntry(
        at=int(now),
        by=by,
        kind=TimelineKind.STATUS_CHANGED,
        text=f"{text}: {note}" if note else text,
        from_status=order.status,
        to_status=wanted,
        note=note,
    )
    moved = dataclasses.replace(order, status=wanted, version=order.version + 1)
    if wanted is S.CANCELLED:
        moved = dataclasses.replace(moved, cancelled_at=int(now))
    return moved.logged(entry)
