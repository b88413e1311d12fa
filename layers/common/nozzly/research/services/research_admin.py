"""Operators' research: a day's results, the watchlist (add, notes, remove) and the research settings.

Reading needs `catalog.read`, changing `catalog.write` (the product import's permissions: staff and up), checked
first (stores/services/tenancy). The settings are one versioned section: a change names the version read and
is written on that version's condition with its log entry, so two changes from one read give one success and
one 409. Feed URLs are judged by the SSRF rules when saved (and again on every download).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.url_safety import Resolver, check_url
from nozzly.research.adapters.research_results import ResearchResultsRepository
from nozzly.research.adapters.research_settings import ResearchSettingsRepository
from nozzly.research.domain.research_settings import SECTION, ResearchSettings, from_data, to_data
from nozzly.research.domain.results import ResearchResult, RunSummary, WatchEntry, check_notes
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.domain.store_settings import SectionState, VersionConflict
from nozzly.stores.services.tenancy import require


@dataclass(frozen=True, slots=True)
class Day:
    day: str
    summary: RunSummary | None  # None: no run that day
    results: list[ResearchResult]


@dataclass(frozen=True)
class ResearchAdmin:
    members: MembersRepository
    results: ResearchResultsRepository
    settings_repo: ResearchSettingsRepository
    resolve: Resolver
    allow_loopback_http: bool = False
    clock: Callable[[], float] = field(default=time.time)

    def day(self, store_id: str, caller: str, day: str) -> Day:
        require(self.members, store_id, caller, Action.CATALOG_READ)
        return Day(day, self.results.summary(store_id, day), self.results.day(store_id, day))

    def watchlist(self, store_id: str, caller: str) -> list[WatchEntry]:
        require(self.members, store_id, caller, Action.CATALOG_READ)
        return self.results.watchlist(store_id)

    def watch(self, store_id: str, caller: str, day: str, result_id: str, notes: str) -> WatchEntry:
        """Put the day's result on the watchlist; one already there is answered unchanged."""
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        notes = check_notes(notes)
        found = next((r for r in self.results.day(store_id, day) if r.result_id == result_id), None)
        if found is None:
            raise NotFound(f"no research result {result_id!r} on {day}", field="result_id")
        c = found.candidate
        entry = WatchEntry(
            result_id, day, c.title, c.url, c.source, found.score.total, notes, caller, int(self.clock())
        )
        return self.results.watch(store_id, entry)

    def note(self, store_id: str, caller: str, result_id: str, notes: str) -> WatchEntry:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        changed = self.results.change_notes(store_id, result_id, check_notes(notes))
        if changed is None:
            raise NotFound(f"{result_id!r} is not on the watchlist", field="result_id")
        return changed

    def unwatch(self, store_id: str, caller: str, result_id: str) -> None:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        self.results.unwatch(store_id, result_id)  # removing what is not there changes nothing: still 204

    def settings(self, store_id: str, caller: str) -> tuple[int, ResearchSettings]:
        require(self.members, store_id, caller, Action.CATALOG_READ)
        state = self.settings_repo.state(store_id)
        return state.version, from_data(state.data)

    def change_settings(
        self, store_id: str, caller: str, version: int, patch: Mapping[str, Any]
    ) -> tuple[int, ResearchSettings]:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        state = self.settings_repo.state(store_id)
        if version != state.version:
            raise VersionConflict(SECTION, version)
        after = from_data(to_data(from_data(state.data)) | dict(patch))  # judged whole before anything is written
        for feed in after.feeds:
            try:
                check_url(feed.url, self.resolve, allow_loopback_http=self.allow_loopback_http)
            except InvalidInput as refused:
                raise InvalidInput(f"feed {feed.id}: {refused.message}", field="feeds") from None
        at = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        new = SectionState(SECTION, state.version + 1, to_data(after), caller, at)
        try:
            Transaction().add("research", *self.settings_repo.save_ops(store_id, new)).commit()
        except WriteConflict as clash:
            raise VersionConflict(SECTION, version) from clash
        return new.version, after
