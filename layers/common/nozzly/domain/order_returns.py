"""A return after shipping: the order moves to refunded and what is left of its payment goes back. Pure Python."""

from __future__ import annotations

import dataclasses

from nozzly.domain.errors import InvalidInput
from nozzly.domain.order_rules import MAX_REASON, claim_refund
from nozzly.domain.order_status import move
from nozzly.domain.orders import Order, OrderStatus, PaymentState

RETURN_REFUND_KEY = "return"  # the one refund a return makes, whoever retries it


def refund_return(order: Order, *, by: str, now: float, reason: str = "returned") -> Order:
    """shipped or delivered -> refunded, with the refund of everything paid and not yet refunded claimed in the
    same write (key RETURN_REFUND_KEY, the provider's key from the order id), so a retry refunds it once.
    A cash order never paid, or one refunded in full already, only moves."""
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason has at most {MAX_REASON} characters", field="note")
    moved = move(order, OrderStatus.REFUNDED, by=by, now=now, note=reason)
    if order.payment_state is PaymentState.AWAITING or order.refundable.amount <= 0:
        return moved
    claimed = claim_refund(
        moved,
        key=RETURN_REFUND_KEY,
        requested=None,
        reason=reason,
        by=by,
        now=now,
        provider_idempotency_key=f"rt-{order.order_id}"[:45],
    )
    return dataclasses.replace(claimed, version=order.version + 1)  # one write: one version step
