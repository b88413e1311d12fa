"""Operators' email flows: every flow, one flow, a change to one, and a preview of its words with sample data.

Every call checks `settings.manage` first (stores/services/tenancy). The flows are one versioned settings item:
a change names the version read and is written on that version's condition with its log entry, so two
changes made from one read give one success and one 409, never a lost write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import NotFound
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository, saved_flows
from nozzly.marketing.domain.flow_stats import FlowCounts
from nozzly.marketing.domain.flows import SAMPLE, SECTION, FlowSetting, changed, current, every, flow, saved_data
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.domain.store_settings import SectionState, VersionConflict
from nozzly.stores.services.tenancy import require


@dataclass(frozen=True, slots=True)
class Flows:
    version: int  # of the store's flows item: what a change must name (0: never saved)
    flows: list[FlowSetting]
    counts: dict[str, FlowCounts]  # per flow key: sent, clicked, converted


@dataclass(frozen=True, slots=True)
class Preview:
    subject: str
    intro: str
    sample: dict[str, str]  # the values the placeholders were filled with


@dataclass(frozen=True)
class EmailFlows:
    members: MembersRepository
    flows_repo: EmailFlowsRepository
    stores: StoresRepository
    clock: Callable[[], float] = field(default=time.time)

    def all(self, store_id: str, caller: str) -> Flows:
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        state = self.flows_repo.state(store_id)
        return Flows(state.version, every(saved_flows(state)), self.flows_repo.counts(store_id))

    def get(self, store_id: str, caller: str, key: str) -> tuple[int, FlowSetting, FlowCounts]:
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        flow(key)  # an unknown flow is 404 before any read
        state = self.flows_repo.state(store_id)
        return state.version, current(key, saved_flows(state)), self.flows_repo.counts(store_id)[key]

    def change(
        self, store_id: str, caller: str, key: str, version: int, patch: Mapping[str, Any]
    ) -> tuple[int, FlowSetting]:
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        flow(key)
        state = self.flows_repo.state(store_id)
        if version != state.version:
            raise VersionConflict(SECTION, version)
        after = changed(current(key, saved_flows(state)), patch)  # judged before anything is written
        data = dict(state.data) | {"flows": saved_data(saved_flows(state), after)}
        at = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        new = SectionState(SECTION, state.version + 1, data, caller, at)
        try:
            Transaction().add("flows", *self.flows_repo.save_ops(store_id, new)).commit()
        except WriteConflict as clash:
            raise VersionConflict(SECTION, version) from clash
        return new.version, after

    def preview(self, store_id: str, caller: str, key: str, draft: Mapping[str, Any]) -> Preview:
        """The flow's subject and intro filled with sample data; `draft` (subject, intro) previews unsaved words,
        judged like a change (an unknown placeholder is a 400) but never written."""
        member = require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        flow(key)
        store = self.stores.find(store_id)
        if store is None:
            raise NotFound(f"store {store_id!r} not found", field="store")
        setting = changed(current(key, saved_flows(self.flows_repo.state(store_id))), draft)
        sample = dict(SAMPLE) | {"store_name": store.name or member.store_name}
        subject, intro = setting.render(sample)
        return Preview(subject, intro, {k: v for k, v in sample.items() if k in setting.flow.placeholders})
