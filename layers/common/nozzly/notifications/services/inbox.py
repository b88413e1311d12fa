"""A person's inbox: list it newest first with the unread count, mark one or all read, an operator's preferences.

Operators reach their own inbox of a store they are a member of (any role: `store.read`); shoppers their own, as
the shopper routes decide who they are. Either way the recipient is built from the verified token, never a body.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import NotFound
from nozzly.notifications.adapters.inbox import InboxRepository
from nozzly.notifications.domain.notifications import Audience, Notification, Preferences, Recipient
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services import tenancy

__all__ = ["MAX_PAGE", "Inbox", "InboxPage"]

MAX_PAGE = 100
_READ_ALL_PAGE = 100


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: list[Notification]
    unread: int
    next_cursor: str | None


@dataclass(frozen=True)
class Inbox:
    inbox: InboxRepository
    members: MembersRepository
    clock: Callable[[], float] = field(default=time.time)

    def operator(self, store_id: str, sub: str) -> Recipient:
        """The operator's own inbox of this store: 404 unless a member (like every admin route)."""
        tenancy.require(self.members, store_id, sub, Action.STORE_READ)
        return Recipient(Audience.OPERATOR, store_id, sub)

    def page(self, recipient: Recipient, *, cursor: str | None, limit: int, unread_only: bool) -> InboxPage:
        items, next_cursor = self.inbox.page(
            recipient, limit=max(1, min(limit, MAX_PAGE)), after=cursor, unread_only=unread_only
        )
        return InboxPage(items, self.inbox.unread(recipient), next_cursor)

    def unread(self, recipient: Recipient) -> int:
        return self.inbox.unread(recipient)

    def _mark(self, recipient: Recipient, notification_id: str) -> bool:
        """True when this call marked it read (False: unknown, or read already)."""
        item, counter = self.inbox.mark_read_ops(recipient, notification_id, int(self.clock()))
        try:
            Transaction().add("item", item).add("counter", counter).commit()
        except WriteConflict as conflict:
            if "item" in conflict.failed:
                return False
            # Unread but not counted (the counter cannot go below 0): it is still marked, the count stays 0.
            Transaction().add("item", item).commit()
        return True

    def mark_read(self, recipient: Recipient, notification_id: str) -> Notification:
        """Read from now on; marking a read one again changes nothing and counts nothing. 404 when unknown."""
        self._mark(recipient, notification_id)
        found = self.inbox.get(recipient, notification_id)
        if found is None:
            raise NotFound(f"notification {notification_id!r} not found", field="notification")
        return found

    def mark_all_read(self, recipient: Recipient) -> int:
        """Every unread one, each in its own transaction with the counter (so the count stays exact when another
        request marks some meanwhile); how many this call marked."""
        marked = 0
        after: str | None = None
        while True:
            items, after = self.inbox.page(recipient, limit=_READ_ALL_PAGE, after=after, unread_only=True)
            marked += sum(self._mark(recipient, item.id) for item in items)
            if after is None:
                return marked

    def preferences(self, recipient: Recipient) -> Preferences:
        return self.inbox.preferences(recipient)

    def set_preferences(self, recipient: Recipient, preferences: Preferences) -> Preferences:
        self.inbox.save_preferences(recipient, preferences, int(self.clock()))
        return preferences
