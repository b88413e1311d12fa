"""What a verified payment event does to its checkout: resume the saga waiting for that payment.

Called once per provider event (the webhook function deduplicates). The saga's waiting task holds a token on
the checkout; success resumes it towards the order, failure sends it to compensation. Anything else (an
unknown checkout, one no longer waiting, a token that timed out) is acknowledged without effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.kernel.domain.money import Money
from nozzly.observability import logger
from nozzly.payments.domain.payments import EventKind, PaymentEvent
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.adapters.workflows import TaskTokens
from nozzly.sales.domain.checkout import CheckoutStatus


@dataclass(frozen=True)
class CheckoutPayments:
    checkouts: CheckoutsRepository
    tokens: TaskTokens

    def on_event(self, event: PaymentEvent) -> str:
        token, detail = self._waiting(event)
        if token is None:
            logger.info("payment event ignored", extra={"event_id": event.event_id, "why": detail})
            return "ignored"
        if event.kind is EventKind.SUCCEEDED and event.amount == detail:
            resumed = self.tokens.succeed(token, {"payment_id": event.payment_id})
            outcome = "confirmed"
        else:
            cause = event.failure_code or "declined"
            if event.kind is EventKind.SUCCEEDED:
                logger.error("paid amount differs from the checkout total", extra={"event_id": event.event_id})
                cause = "the amount paid differs from the order total"
            resumed = self.tokens.fail(token, "PaymentFailed", cause)
            outcome = "failed"
        if not resumed:
            logger.info("payment event ignored", extra={"event_id": event.event_id, "why": "the wait had ended"})
            return "ignored"
        return outcome

    def _waiting(self, event: PaymentEvent) -> tuple[str | None, Money | str]:
        """(the task token waiting for this payment, the checkout's total) or (None, why nothing waits)."""
        if event.kind not in (EventKind.SUCCEEDED, EventKind.FAILED, EventKind.CANCELED):
            return None, "not a payment outcome"
        if not event.store_id or not event.checkout_id:
            return None, "not a Nozzly checkout"
        found = self.checkouts.get_waiting(event.store_id, event.checkout_id)
        if found is None or found[0].payment is None:
            return None, "no checkout waits for a payment"
        checkout, token = found
        assert checkout.payment is not None
        if checkout.status is not CheckoutStatus.AWAITING_PAYMENT:
            return None, f"the checkout is {checkout.status.value}"
        # A Stripe Checkout Session's events name its PaymentIntent, while the checkout holds the session.
        session = event.event_type == "checkout.session.completed"
        if checkout.payment.payment_id != event.payment_id and not session:
            return None, "another payment of this checkout"
        return (token, checkout.totals.total) if token else (None, "nothing waits for this payment")
