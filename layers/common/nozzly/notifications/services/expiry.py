"""Keeps the unread count exact when DynamoDB's TTL removes a notification nobody read (after 90 days): the table's
stream hands each removal here, and an unread one is counted off once, however often the record comes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.notifications.adapters.inbox import InboxRepository

__all__ = ["Expiry"]


@dataclass(frozen=True)
class Expiry:
    inbox: InboxRepository

    def removed(self, record: dict[str, Any]) -> bool:
        """True when this record took an unread notification off its inbox's count."""
        if record.get("eventName") != "REMOVE":
            return False
        image = (record.get("dynamodb") or {}).get("OldImage")
        writes = self.inbox.expired_unread(image) if isinstance(image, dict) else None
        if writes is None:
            return False
        tombstone, counter = writes
        try:
            Transaction().add("tombstone", tombstone).add("counter", counter).commit()
        except WriteConflict:
            return False  # counted off already (a redelivery), or the count is 0 already
        return True
