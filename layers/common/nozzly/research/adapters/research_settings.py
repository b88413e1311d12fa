"""A store's research settings in the stores table: the `SETTINGS#research` settings section (versioned, with
its immutable `SETTINGS_LOG#research#...` log), through the settings sections' adapter so it shares their key
design and their conditional writes. Absent: the defaults (research/domain/research_settings.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.research.domain.research_settings import SECTION, ResearchSettings, from_data
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.domain.store_settings import NEVER_SAVED, SectionState

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


class ResearchSettingsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._sections = SettingsSectionsRepository(table, dynamodb)

    def state(self, store_id: str) -> SectionState:
        """The section as saved (consistent read), or version 0 with nothing saved."""
        return self._sections.get(store_id, SECTION) or SectionState(SECTION, NEVER_SAVED, {})

    def settings(self, store_id: str) -> ResearchSettings:
        return from_data(self.state(store_id).data)

    def save_ops(self, store_id: str, after: SectionState) -> tuple[Write, Write]:
        return self._sections.save_ops(store_id, after)
