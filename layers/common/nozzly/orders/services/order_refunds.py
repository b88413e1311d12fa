"""Refunds of an order, whoever asks (an operator's refund, a shopper's cancellation): claim, ask, record.

1. Claim: the refund is appended to the order as REQUESTED, in a write conditioned on the order's version as
   read (and on the stored refunded amount leaving room for it). Its amount counts from then on, so two
   refunds at once can never together pass what was paid: the second one's write fails, it reads the order
   again and is refused (409) if too little is left. Nothing has reached the provider yet.
2. Ask: the provider's refund, with an idempotency key stored in the claim. The same claim always sends the
   same key and amount, so however often this step runs, the provider makes one refund.
3. Record: the provider's refund id and state on the claim. A refusal (the provider's InvalidInput/NotFound)
   records FAILED, which frees the amount again.

If the function dies between 1 and 3, the claim stays REQUESTED and keeps its amount: retrying the request
(same Idempotency-Key, or the same cancellation) repeats 2 and 3 with the stored key and amount, and the
provider answers with the refund it may already have made. A claim left REQUESTED for longer than
STALE_SECONDS is finished the same way by the next refund request of the order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.order_rules import claim_refund, provider_key, same_request, settle_refund
from nozzly.orders.domain.orders import Order, RefundState
from nozzly.payments.adapters.gateway import PaymentGateway
from nozzly.payments.domain.payments import Provider, RefundStatus

ATTEMPTS = 5  # another change of the order came first: read it again and decide again
STALE_SECONDS = 120  # far beyond a function's timeout: nobody is still working on such a claim
_STATE = {
    RefundStatus.PENDING: RefundState.PENDING,
    RefundStatus.SUCCEEDED: RefundState.SUCCEEDED,
    RefundStatus.FAILED: RefundState.FAILED,
}


@dataclass(frozen=True)
class OrderRefunds:
    orders: OrdersRepository
    gateways: Mapping[Provider, PaymentGateway]
    # A store's own gateway (its connected Square account); None: the platform's gateways for every store.
    store_gateways: Callable[[str, Provider], PaymentGateway] | None = None
    clock: Callable[[], float] = field(default=time.time)

    def read(self, store_id: str, order_id: str) -> Order:
        order = self.orders.get(store_id, order_id)
        if order is None:
            raise NotFound(f"order {order_id!r} not found", field="order")
        return order

    def change(self, store_id: str, order_id: str, decide: Callable[[Order], Order]) -> Order:
        """Read, decide, write if the order is still as read; otherwise read and decide again."""
        for _ in range(ATTEMPTS):
            before = self.read(store_id, order_id)
            after = decide(before)
            if after == before or self.orders.replace(before, after):
                return after
        raise Conflict("the order kept changing; try again", field="order")

    def request(self, store_id: str, order_id: str, *, key: str, amount: Money | None, reason: str, by: str) -> Order:
        """The refund this key names, claimed, asked for and recorded (a retried key finishes or repeats it)."""
        for _ in range(ATTEMPTS):
            before = self.read(store_id, order_id)
            existing = before.refund(key)
            if existing is not None:
                if not same_request(existing, amount, reason):
                    raise Conflict("this Idempotency-Key asked for another refund", field="Idempotency-Key")
                return self.complete(before, key)
            before = self._finish_stale(before)
            after = claim_refund(
                before,
                key=key,
                requested=amount,
                reason=reason,
                by=by,
                now=self.clock(),
                provider_idempotency_key=provider_key(store_id, order_id, key),
            )
            if self.orders.replace(before, after):
                logger.info("refund claimed", extra={"order_id": order_id, "refunded": after.refunded.amount})
                return self.complete(after, key)
        raise Conflict("the order kept changing; try again", field="order")

    def complete(self, order: Order, key: str) -> Order:
        """Ask the provider for a claimed refund and record its answer; one already answered is left as it is."""
        refund = order.refund(key)
        if refund is None or refund.state is not RefundState.REQUESTED:
            return order
        if order.payment is None:  # cash on delivery: the money goes back by hand, there is nobody to ask
            return self._settle(order, key, RefundState.SUCCEEDED, None)
        provider = order.payment.provider
        gateway = self.store_gateways(order.store_id, provider) if self.store_gateways else self.gateways[provider]
        try:
            answer = gateway.refund(order.payment.payment_id, refund.amount, refund.provider_key)
        except (InvalidInput, NotFound) as refused:
            self._settle(order, key, RefundState.FAILED, None)
            logger.warning("refund refused", extra={"order_id": order.order_id, "why": refused.message})
            raise Conflict(f"the payment provider refused the refund: {refused.message}", field="amount") from None
        logger.info("refund recorded", extra={"order_id": order.order_id, "refund_id": answer.refund_id})
        return self._settle(order, key, _STATE[answer.status], answer.refund_id)

    def _settle(self, order: Order, key: str, state: RefundState, refund_id: str | None) -> Order:
        def decide(current: Order) -> Order:
            found = current.refund(key)
            if found is None or found.state is not RefundState.REQUESTED:
                return current  # recorded already, by a concurrent retry of the same request
            return settle_refund(current, key, state, refund_id, now=self.clock())

        return self.change(order.store_id, order.order_id, decide)

    def _finish_stale(self, order: Order) -> Order:
        """Claims whose request died mid-way (never retried) finished before a new refund is weighed."""
        stale = [
            r.key for r in order.refunds if r.state is RefundState.REQUESTED and r.at < self.clock() - STALE_SECONDS
        ]
        for key in stale:
            try:
                order = self.complete(order, key)
            except Conflict:
                order = self.read(order.store_id, order.order_id)
        return order
