"""What a verified, deduplicated payment event does to its checkout and order.

The webhook function (functions/payment_webhooks) calls handle() at most once per provider event: it has
already verified the signature and recorded the event id (adapters/payments/once.py).
"""

from __future__ import annotations

from nozzly.domain.payments import PaymentEvent
from nozzly.observability import logger


def handle(event: PaymentEvent) -> str:
    """Apply one payment event; return a short outcome word stored with the event's idempotency record.

    SUCCEEDED confirms the checkout's order, FAILED and CANCELED release it, REFUNDED records the refunded total
    (`event.amount` is the total refunded so far), PENDING changes nothing. An event for an unknown checkout or
    one already final is logged and acknowledged without effect ("ignored"). Raising makes the provider
    deliver the event again later (the idempotency record is removed), so raise only for a failure worth a retry.

    Not wired to checkouts yet: every event is logged and ignored.
    """
    logger.info(
        "payment event ignored: no checkout handling yet",
        extra={
            "provider": event.provider,
            "event_id": event.event_id,
            "kind": event.kind,
            "payment_id": event.payment_id,
            "checkout_id": event.checkout_id,
            "store_id": event.store_id,
        },
    )
    return "ignored"
