"""The bus's domain events into inboxes: each event's notification for every operator of its store who wants that
kind, and for the order's shopper when the order has an account; each saved one is then pushed live.

EventBridge delivers at least once: a notification's id comes from the event's, and its Put is conditional, so a
redelivered event writes, counts and pushes nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.notifications.adapters.inbox import InboxRepository
from nozzly.notifications.domain.notifications import (
    SHOPPER_EVENTS,
    Audience,
    BusEvent,
    Notification,
    Recipient,
    compose,
)
from nozzly.notifications.services.live_push import LivePush
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.stores.adapters.store_members import MembersRepository

__all__ = ["Notifier", "bus_event"]


def bus_event(event: dict[str, Any]) -> BusEvent:
    """An EventBridge event as a rule hands it to Lambda (`time` is ISO 8601 to the second)."""
    event_id, at = event.get("id"), event.get("time")
    if not isinstance(event_id, str) or not event_id:
        raise InvalidInput("event has no id", field="id")
    if not isinstance(at, str):
        raise InvalidInput("event has no time", field="time")
    try:
        at_ms = int(datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError as exc:
        raise InvalidInput(f"event time {at!r} is not ISO 8601", field="time") from exc
    detail = event.get("detail")
    return BusEvent(event_id, str(event.get("detail-type") or ""), at_ms, detail if isinstance(detail, dict) else {})


@dataclass(frozen=True)
class Notifier:
    inbox: InboxRepository
    members: MembersRepository
    orders: OrdersRepository
    live: LivePush

    def consume(self, event: dict[str, Any]) -> list[Notification]:
        """Write the event's notifications; the ones this delivery wrote (none on a redelivery)."""
        found = bus_event(event)
        customer: str | None = None
        if found.store_id and found.order_id and found.detail_type in SHOPPER_EVENTS:
            order = self.orders.get(found.store_id, found.order_id)
            if order is not None:
                customer = order.customer
                # ShipmentCreated names no number; the shopper knows their order by it
                found = BusEvent(
                    found.event_id, found.detail_type, found.at, {"order_number": order.number, **found.detail}
                )
        composed = compose(found)
        written: list[Notification] = []
        if composed.operators is not None and found.store_id:
            for member in self.members.of_store(found.store_id):
                recipient = Recipient(Audience.OPERATOR, found.store_id, member.sub)
                if member.store_deleted or not self.inbox.preferences(recipient).wants(composed.operators.kind):
                    continue
                written += self._save(composed.operators.for_recipient(recipient))
        if composed.shopper is not None and customer is not None and found.store_id:
            written += self._save(composed.shopper.for_recipient(Recipient(Audience.SHOPPER, found.store_id, customer)))
        return written

    def _save(self, notification: Notification) -> list[Notification]:
        try:
            Transaction().add("notification", *self.inbox.add_ops(notification)).commit()
        except WriteConflict as conflict:
            if "notification" in conflict.failed:
                return []  # a redelivery: written, counted and pushed the first time
            raise
        self._push(notification)
        return [notification]

    def _push(self, notification: Notification) -> None:
        recipient = notification.recipient
        assert recipient is not None
        message: dict[str, object] = {
            "type": "notification",
            "id": notification.id,
            "store": notification.store_id,
            "kind": notification.kind.value,
            "title": notification.title,
            "body": notification.body,
            "link": notification.link,
            "created_at": notification.created_at,
        }
        try:
            self.live.push(recipient.room, message)
        except Exception:  # the inbox is the record; a live push is a courtesy that must not redeliver the event
            logger.exception("live push failed", extra={"room": recipient.room})
