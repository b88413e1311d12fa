"""Operators' attention list: read it (orders.read), acknowledge or resolve an item (orders.manage)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import NotFound
from nozzly.stores.adapters.attention import AttentionList
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.attention import AttentionEntry, AttentionKey, parse_item_id
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

__all__ = ["AttentionDesk", "AttentionPage"]


@dataclass(frozen=True, slots=True)
class AttentionPage:
    counts: dict[str, int]
    items: list[AttentionEntry]
    next_cursor: str | None


def _key(item_id: str) -> AttentionKey:
    key = parse_item_id(item_id)
    if key is None:
        raise NotFound(f"attention item {item_id!r} not found", field="item")
    return key


@dataclass(frozen=True)
class AttentionDesk:
    members: MembersRepository
    attention: AttentionList
    clock: Callable[[], float] = field(default=time.time)

    def list(self, store_id: str, caller: str, *, cursor: str | None, limit: int) -> AttentionPage:
        require(self.members, store_id, caller, Action.ORDERS_READ)
        items, next_cursor = self.attention.page(store_id, limit, cursor)
        return AttentionPage(self.attention.counts(store_id), items, next_cursor)

    def acknowledge(self, store_id: str, caller: str, item_id: str) -> AttentionEntry:
        require(self.members, store_id, caller, Action.ORDERS_MANAGE)
        found = self.attention.acknowledge(store_id, _key(item_id), caller, int(self.clock()))
        if found is None:
            raise NotFound(f"attention item {item_id!r} not found", field="item")
        return found

    def resolve(self, store_id: str, caller: str, item_id: str) -> None:
        """Closes the item and counts it out; a second resolve (or one after a restock closed it) is a 404."""
        require(self.members, store_id, caller, Action.ORDERS_MANAGE)
        try:
            Transaction().add("item", *self.attention.close(store_id, _key(item_id))).commit()
        except WriteConflict as conflict:
            if "item" in conflict.failed:
                raise NotFound(f"attention item {item_id!r} not found", field="item") from conflict
            raise
