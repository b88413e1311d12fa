"""Operators moving orders along: fulfilments (through the "fulfil order" workflow) and what became of them,
tracking, status changes.

The store comes from the path and the caller from the verified token; services.tenancy decides (orders.manage;
orders.read to look at a fulfilment) before anything else is looked at. Every change is judged by the domain
against the order as read and written only if the order is still as read; a status the order may not take is
409 naming the ones it may.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from nozzly.catalog.domain.stock import MAX_COMMIT_WRITES, commit_writes
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.observability import logger
from nozzly.orders.adapters.fulfilment_workflow import FulfilmentRun, FulfilmentWorkflow
from nozzly.orders.domain.fulfilment import RequestedLine, Tracking, fulfilment_id, plan_fulfilment, update_tracking
from nozzly.orders.domain.fulfilment_status import FulfilmentStatus, Progress, Refusal
from nozzly.orders.domain.order_rules import CANCELLATION_REFUND_KEY, RETURN_REFUND_KEY, refund_return
from nozzly.orders.domain.order_status import IllegalTransition, allowed_next, move
from nozzly.orders.domain.orders import Fulfilment, Order, OrderStatus, RefundState
from nozzly.orders.services.order_cancellation import OrderCancellation
from nozzly.orders.services.order_refunds import OrderRefunds
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

MIN_KEY, MAX_KEY = 8, 100
# The refund each final status claims: a retry of the status change finishes it instead of a 409.
_REFUND_OF = {OrderStatus.CANCELLED: CANCELLATION_REFUND_KEY, OrderStatus.REFUNDED: RETURN_REFUND_KEY}


@dataclass(frozen=True)
class OrderFulfilment:
    members: MembersRepository
    refunds: OrderRefunds  # reads and conditional writes of the order, and refunds through the provider
    cancellation: OrderCancellation
    workflow: FulfilmentWorkflow

    def fulfil(
        self,
        store_id: str,
        sub: str,
        order_id: str,
        *,
        key: str | None,
        lines: Sequence[RequestedLine] | None,
        tracking: Tracking,
    ) -> tuple[Order, Fulfilment]:
        """The fulfilment this key names: judged now (4xx, nothing started), then committed by the workflow.
        The same key again answers the same fulfilment and starts nothing new."""
        require(self.members, store_id, sub, Action.ORDERS_MANAGE)
        order = self.refunds.read(store_id, order_id)
        if key is None or not MIN_KEY <= len(key) <= MAX_KEY:
            raise InvalidInput(
                f"an Idempotency-Key header of {MIN_KEY} to {MAX_KEY} characters is required", field="Idempotency-Key"
            )
        # Namespaced: no header value can name the fulfilment a status change starts.
        return self._start(order, f"key:{key}", lines, tracking, by=f"operator:{sub}")

    def status(self, store_id: str, sub: str, order_id: str, fulfilment: str) -> FulfilmentStatus:
        """The fulfilment as recorded on the order or, until it is, as its workflow execution tells it."""
        require(self.members, store_id, sub, Action.ORDERS_READ)
        order = self.refunds.read(store_id, order_id)
        recorded = order.fulfilment(fulfilment)
        if recorded is not None:
            return FulfilmentStatus(recorded, Progress.RECORDED)
        run = self.workflow.find(fulfilment)
        if run is None or (run.store_id, run.order_id) != (store_id, order_id):
            raise NotFound(f"fulfilment {fulfilment!r} not found on order {order_id!r}", field="fulfilment")
        if run.status == "SUCCEEDED":  # committed since the order was read
            recorded = self.refunds.read(store_id, order_id).fulfilment(fulfilment)
            if recorded is not None:
                return FulfilmentStatus(recorded, Progress.RECORDED)
        if run.ended_badly:
            return FulfilmentStatus(run.fulfilment, Progress.REFUSED, _refusal(run))
        return FulfilmentStatus(run.fulfilment, Progress.REQUESTED)

    def _start(
        self, order: Order, key: str, lines: Sequence[RequestedLine] | None, tracking: Tracking, *, by: str
    ) -> tuple[Order, Fulfilment]:
        fid = fulfilment_id(order.store_id, order.order_id, key)
        recorded = order.fulfilment(fid)
        if recorded is not None:
            return order, recorded
        planned = plan_fulfilment(order, lines, fulfilment_id=fid, by=by, now=self.refunds.clock(), tracking=tracking)
        if commit_writes((x.product_slug, x.variant_id) for x in planned.lines) > MAX_COMMIT_WRITES:
            # Its stock is committed in one transaction, never split: refused now rather than by the workflow.
            raise InvalidInput(
                f"one fulfilment commits at most {MAX_COMMIT_WRITES} writes (the order, each product and each "
                "variant): ship these lines in two fulfilments",
                field="lines",
            )
        self.workflow.start(order.store_id, order.order_id, planned)
        logger.info("fulfilment started", extra={"order_id": order.order_id, "fulfilment_id": fid})
        return order, planned

    def update_tracking(
        self, store_id: str, sub: str, order_id: str, fulfilment: str, changes: Mapping[str, str | None]
    ) -> Order:
        require(self.members, store_id, sub, Action.ORDERS_MANAGE)
        now = self.refunds.clock()
        return self.refunds.change(
            store_id, order_id, lambda o: update_tracking(o, fulfilment, changes, by=f"operator:{sub}", now=now)
        )

    def change_status(
        self,
        store_id: str,
        sub: str,
        order_id: str,
        *,
        status: OrderStatus,
        note: str | None,
        tracking: Tracking | None,
    ) -> tuple[Order, Fulfilment | None]:
        """The order in `status`, or (shipped) the fulfilment of everything left started. Cancelling releases the
        stock and refunds the payment; refunded (a return) refunds what is left of it."""
        require(self.members, store_id, sub, Action.ORDERS_MANAGE)
        order = self.refunds.read(store_id, order_id)
        by = f"operator:{sub}"
        if status is OrderStatus.SHIPPED:
            # One fulfilment per version of the order: a repeated request starts nothing new.
            return self._start(order, f"status:v{order.version}", None, tracking or Tracking(), by=by)
        if tracking is not None:
            raise InvalidInput("tracking goes with status shipped (or a fulfilment)", field="status")
        unfinished = self._unfinished_refund(order, status)
        if unfinished is not None:
            return self._complete(order, unfinished), None
        if status is OrderStatus.CANCELLED:
            reason = note or "cancelled by the store"
            judged = _judged(lambda: self.refunds.read(store_id, order_id), status)
            return self.cancellation.cancel(judged, by=by, reason=reason), None
        now = self.refunds.clock()
        if status is OrderStatus.REFUNDED:
            after = self.refunds.change(
                store_id, order_id, lambda o: refund_return(o, by=by, now=now, reason=note or "returned")
            )
            return self._complete(after, RETURN_REFUND_KEY), None
        return self.refunds.change(store_id, order_id, lambda o: move(o, status, by=by, now=now, note=note)), None

    @staticmethod
    def _unfinished_refund(order: Order, status: OrderStatus) -> str | None:
        """The refund key a repeated cancel or return left unfinished (the provider never answered)."""
        key = _REFUND_OF.get(status)
        if key is None or order.status is not status:
            return None
        refund = order.refund(key)
        return key if refund is not None and refund.state is RefundState.REQUESTED else None

    def _complete(self, order: Order, key: str) -> Order:
        """The claimed refund through the provider; the status change stands whatever the provider says (a
        refused refund is recorded failed, for an operator to settle)."""
        if order.refund(key) is None:
            return order
        try:
            return self.refunds.complete(order, key)
        except Conflict:
            logger.exception("the refund of a status change did not go through", extra={"order_id": order.order_id})
            return self.refunds.read(order.store_id, order.order_id)


def _refusal(run: FulfilmentRun) -> Refusal:
    return Refusal(error=run.error or run.status.lower(), cause=run.cause or None, at=run.stopped_at)


def _judged(read: Callable[[], Order], status: OrderStatus) -> Callable[[], Order]:
    """`read`, refusing at once what the status machine refuses (409 naming the allowed states)."""

    def judged() -> Order:
        order = read()
        if status not in allowed_next(order.status):
            raise IllegalTransition(order.status, status)
        return order

    return judged
