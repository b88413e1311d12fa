"""The sweep that leaves no checkout stranded (schedule of CheckoutSteps, every few minutes).

Storing a checkout and starting its execution are two calls, and a crash or a timeout between them loses the
second, on AWS too; an execution can also end without its compensation having run (Abandon failed every
retry, the execution was stopped by hand). Every checkout that has not ended is in the live index, so the
sweep reads only those older than a minute and, for each:

- its execution never started: start it while the shopper may still be waiting, else fail it;
- its execution has ended, or has run far past every timeout it has: compensate (release the stock and the
  coupon's use, void the payment, fail the checkout with its reason, free the cart);
- its execution still runs within its timeouts: leave it be.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.observability import logger, metrics
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.adapters.workflows import CheckoutWorkflow, ExecutionState
from nozzly.sales.domain.checkout import CheckoutStatus
from nozzly.sales.services.checkout_saga import CheckoutSaga

STALLED_AFTER_SECONDS = 60  # younger checkouts are still between their write and their execution's start
LATE_START_SECONDS = 600  # after this the shopper has given up waiting: fail it rather than take payment late
MAX_PER_RUN = 200  # a run stays well inside its function's timeout; the next run takes the rest
# Past every timeout an execution has (the payment's, plus each step's with its retries): it is stuck.
STEPS_MARGIN_SECONDS = 900


@dataclass(frozen=True)
class CheckoutRecovery:
    checkouts: CheckoutsRepository
    workflow: CheckoutWorkflow
    saga: CheckoutSaga
    clock: Callable[[], float] = field(default=time.time)

    def sweep(self) -> dict[str, int]:
        """What became of each stranded checkout, counted by outcome."""
        now = self.clock()
        outcomes: Counter[str] = Counter()
        for number, (store_id, checkout_id) in enumerate(
            self.checkouts.live_since_before(int(now) - STALLED_AFTER_SECONDS)
        ):
            if number >= MAX_PER_RUN:
                outcomes["left_for_next_run"] += 1
                break
            outcome = self.recover(store_id, checkout_id, now)
            outcomes[outcome] += 1
            if outcome != "running":
                logger.warning("stranded checkout", extra={"checkout_id": checkout_id, "outcome": outcome})
        for outcome, count in outcomes.items():
            metrics.add_metric(name=f"CheckoutsRecovered_{outcome}", unit="Count", value=count)
        return dict(outcomes)

    def recover(self, store_id: str, checkout_id: str, now: float) -> str:
        checkout = self.checkouts.get(store_id, checkout_id)
        if checkout is None or checkout.status.is_final:
            return "ended"  # the index had not caught up yet
        age = now - checkout.created_at
        state = self.workflow.state(checkout_id)
        if state is ExecutionState.NEVER_STARTED and checkout.status is CheckoutStatus.PROCESSING:
            if age < LATE_START_SECONDS:
                self.workflow.start(store_id, checkout_id)
                return "started"
        elif state is ExecutionState.RUNNING:
            if age < self.workflow.payment_timeout_seconds + STEPS_MARGIN_SECONDS:
                return "running"
            self.workflow.stop(checkout_id, "ran past every timeout of the checkout saga")
        self.saga.abandon(store_id, checkout_id, None)
        return "compensated"
