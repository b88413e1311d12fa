"""Operators' store settings: every section with its version, one section, a change to one, its history.

Every call checks `settings.manage` first (services.tenancy). A change is judged against the version the
caller read and written on that version's condition, with its log entry, in one transaction: two changes
made from one read give one success and one 409, never a lost write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nozzly.kernel.adapters.unit_of_work import ReadSet, Transaction, WriteConflict
from nozzly.kernel.domain.errors import NotFound
from nozzly.stores.adapters.settings_sections import HistoryPage, SettingsSectionsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action, Membership
from nozzly.stores.domain.store_settings import (
    SECTIONS,
    SectionContext,
    SectionState,
    VersionConflict,
    changed,
    current,
    section,
)
from nozzly.stores.services.tenancy import require


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class StoreSettings:
    members: MembersRepository
    sections: SettingsSectionsRepository
    stores: StoresRepository
    # What a change needs judged outside the domain, by section, given the state read and the new one (that
    # an uploaded logo file exists and is an image): raise InvalidInput naming the field.
    outside_checks: Mapping[str, Callable[[SectionState, SectionState], None]] = field(default_factory=dict)
    clock: Callable[[], float] = field(default=time.time)

    def _context(self, member: Membership) -> SectionContext:
        """What the sections' defaults depend on: the store's name, and its country and currency (one read)."""
        reads = ReadSet()
        profile = reads.add(self.stores.profile_read(member.store_id))
        store = reads.fetch()[profile]
        if store is None:
            raise NotFound(f"store {member.store_id!r} not found", field="store")
        return SectionContext(member.store_id, member.store_name, store.country, store.currency)

    def all(self, store_id: str, caller: str) -> list[SectionState]:
        member = require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        saved = self.sections.all(store_id)
        return [current(name, saved.get(name), self._context(member)) for name in SECTIONS]

    def get(self, store_id: str, caller: str, name: str) -> SectionState:
        member = require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        section(name)  # an unknown section is 404 before any read
        return current(name, self.sections.get(store_id, name), self._context(member))

    def change(self, store_id: str, caller: str, name: str, version: int, data: Mapping[str, Any]) -> SectionState:
        member = require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        section(name)
        read = current(name, self.sections.get(store_id, name), self._context(member))
        after = changed(read, version, data, self._context(member), by=caller, at=_iso(self.clock()))
        if name in self.outside_checks:
            self.outside_checks[name](read, after)
        try:
            Transaction().add("section", *self.sections.save_ops(store_id, after)).commit()
        except WriteConflict as clash:
            raise VersionConflict(name, version) from clash
        return after

    def history(self, store_id: str, caller: str, name: str, *, cursor: str | None, limit: int) -> HistoryPage:
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        section(name)
        return self.sections.history(store_id, name, cursor=cursor, limit=limit)
