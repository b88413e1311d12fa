"""What may happen to a placed order: cancelling it, refunding it, marking a cash order paid. Pure Python.

Each rule takes the order as read and returns the order as it must be written (its version one higher), or
raises. The adapter writes it only if the stored version is still the one read, so every rule is checked
against the order as it is when written; a lost race is read again and decided again.
Status moves live in orders/domain/order_status.py; every rule here records itself in the order's timeline.
"""

from __future__ import annotations

import dataclasses
import hashlib

from nozzly.kernel.domain.errors import Conflict, InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.order_status import move
from nozzly.orders.domain.orders import (
    Order,
    OrderRefund,
    OrderStatus,
    PaymentState,
    RefundState,
    TimelineEntry,
    TimelineKind,
)

# An order may be cancelled until anything of it ships; after that it is a return (status refunded).
CANCELLABLE = frozenset({OrderStatus.PENDING, OrderStatus.PROCESSING})
CANCELLATION_REFUND_KEY = "cancellation"  # the one refund a cancellation makes, whoever retries it
RETURN_REFUND_KEY = "return"  # the one refund a return makes, whoever retries it
MAX_REASON = 500


def can_cancel(order: Order) -> bool:
    return order.status in CANCELLABLE and not order.fulfilments


def payment_state(paid: Money, refunded: Money, current: PaymentState) -> PaymentState:
    """What the money says: awaiting until paid, then paid, partially refunded or refunded."""
    if current is PaymentState.AWAITING:
        return current
    if refunded.amount <= 0:
        return PaymentState.PAID
    return PaymentState.REFUNDED if paid <= refunded else PaymentState.PARTIALLY_REFUNDED


def refund_amount(order: Order, requested: Money | None) -> Money:
    """The amount a refund may return: what was asked (at most what was paid and not yet refunded), or all
    of that when nothing was asked. Asking for more is a conflict with what happened before, not bad input."""
    if order.payment_state is PaymentState.AWAITING:
        raise Conflict("nothing has been paid for this order yet", field="order")
    remaining = order.refundable
    if requested is None:
        if remaining.amount <= 0:
            raise Conflict("everything paid for this order has been refunded", field="amount")
        return remaining
    if requested.currency != order.currency:
        raise InvalidInput(f"the order is paid in {order.currency}", field="amount.currency")
    if requested.amount <= 0:
        raise InvalidInput("a refund must be positive", field="amount")
    if remaining < requested:
        shown = remaining.to_decimal_string()
        raise Conflict(f"at most {shown} {order.currency} of this order can still be refunded", field="amount")
    return requested


def provider_key(store_id: str, order_id: str, key: str) -> str:
    """The provider's idempotency key for an operator's refund: one per (order, Idempotency-Key), at most 45
    characters (Square's limit). Hashed so one header value sent for two orders names two refunds."""
    digest = hashlib.sha256(f"{store_id}\0{order_id}\0{key}".encode()).hexdigest()
    return f"rf-{digest[:40]}"


def claim_refund(
    order: Order,
    *,
    key: str,
    requested: Money | None,
    reason: str,
    by: str,
    now: float,
    provider_idempotency_key: str,
) -> Order:
    """The order with a new refund claimed (REQUESTED): its amount counts from now on, so a concurrent
    refund sees less left to refund before either reaches the provider."""
    if order.refund(key) is not None:
        raise Conflict("this idempotency key was used for another refund of the order", field="Idempotency-Key")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason has at most {MAX_REASON} characters", field="reason")
    amount = refund_amount(order, requested)
    refund = OrderRefund(
        key=key,
        amount=amount,
        state=RefundState.REQUESTED,
        reason=reason,
        by=by,
        at=int(now),
        provider_key=provider_idempotency_key,
        requested=None if requested is None else requested.amount,
    )
    entry = TimelineEntry(
        at=int(now),
        by=by,
        kind=TimelineKind.REFUND_REQUESTED,
        text=f"Refund of {amount.to_decimal_string()} {amount.currency} requested: {reason}",
        ref=key,
    )
    return _with_refunds(order, (*order.refunds, refund)).logged(entry)


def same_request(refund: OrderRefund, requested: Money | None, reason: str) -> bool:
    """Whether a retried request asks for the refund its key already names."""
    asked = None if requested is None else requested.amount
    return refund.requested == asked and refund.reason == reason


def settle_refund(order: Order, key: str, state: RefundState, refund_id: str | None, *, now: float) -> Order:
    """The provider's answer recorded on the claimed refund; a failed refund frees its amount again."""
    found = order.refund(key)
    if found is None:
        raise ValueError(f"order {order.order_id} has no refund {key!r}")
    settled = dataclasses.replace(found, state=state, refund_id=refund_id or found.refund_id)
    shown = f"{found.amount.to_decimal_string()} {found.amount.currency}"
    entry = TimelineEntry(
        at=int(now),
        by="system",
        kind=TimelineKind.REFUND_SETTLED,
        text=f"Refund of {shown} {state.value}" + (f" ({settled.refund_id})" if settled.refund_id else ""),
        ref=key,
    )
    return _with_refunds(order, tuple(settled if r.key == key else r for r in order.refunds)).logged(entry)


def _with_refunds(order: Order, refunds: tuple[OrderRefund, ...]) -> Order:
    changed = dataclasses.replace(order, refunds=refunds, version=order.version + 1)
    state = payment_state(changed.paid, changed.refunded, order.payment_state)
    return dataclasses.replace(changed, payment_state=state)


def cancel(order: Order, *, by: str, now: float, reason: str = "cancelled by the shopper") -> Order:
    """The order cancelled; if anything was paid and not yet refunded, its refund is claimed in the same
    write (key CANCELLATION_REFUND_KEY, the provider's key from the order id), so a retry refunds it once."""
    if order.fulfilments and order.status in CANCELLABLE:
        raise Conflict("part of the order has shipped: it cannot be cancelled any more", field="order")
    return _close_with_refund(
        order,
        OrderStatus.CANCELLED,
        key=CANCELLATION_REFUND_KEY,
        prefix="cx",
        by=by,
        now=now,
        reason=reason,
        field="reason",
    )


def refund_return(order: Order, *, by: str, now: float, reason: str = "returned") -> Order:
    """A return: shipped or delivered -> refunded, with everything paid and not yet refunded claimed in the
    same write (key RETURN_REFUND_KEY). A cash order never paid, or one refunded in full already, only moves."""
    return _close_with_refund(
        order, OrderStatus.REFUNDED, key=RETURN_REFUND_KEY, prefix="rt", by=by, now=now, reason=reason, field="note"
    )


def _close_with_refund(
    order: Order, status: OrderStatus, *, key: str, prefix: str, by: str, now: float, reason: str, field: str
) -> Order:
    """The move to a final status and the refund of what is left, in one write: one version step. The
    provider's idempotency key comes from the order id, so however often this is retried, one refund."""
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason has at most {MAX_REASON} characters", field=field)
    moved = move(order, status, by=by, now=now, note=reason)
    if order.payment_state is PaymentState.AWAITING or order.refundable.amount <= 0:
        return moved
    claimed = claim_refund(
        moved,
        key=key,
        requested=None,
        reason=reason,
        by=by,
        now=now,
        provider_idempotency_key=f"{prefix}-{order.order_id}"[:45],
    )
    return dataclasses.replace(claimed, version=order.version + 1)


def mark_paid(order: Order, *, by: str, now: float) -> Order:
    """A cash-on-delivery or offline (operator's) order whose money was collected: awaiting payment -> paid, once."""
    if not order.payment_method.collected_by_hand:
        raise Conflict("only cash-on-delivery and offline orders are marked paid by hand", field="order")
    if order.status is OrderStatus.CANCELLED:
        raise Conflict("the order was cancelled", field="order")
    if order.payment_state is not PaymentState.AWAITING:
        raise Conflict("the order is already paid", field="order")
    paid = dataclasses.replace(
        order, payment_state=PaymentState.PAID, paid_at=int(now), marked_paid_by=by, version=order.version + 1
    )
    shown = f"{order.totals.total.to_decimal_string()} {order.currency}"
    return paid.logged(TimelineEntry(at=int(now), by=by, kind=TimelineKind.MARKED_PAID, text=f"{shown} collected"))
