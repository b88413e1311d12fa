"""The daily research run, as the research workflow's steps call it (functions/research_steps).

`due_stores`: the open stores whose research frequency falls on the day. `gather`, per store: every source's
harvest (a failing source is named in the run's summary, the others count), normalised, deduplicated, scored
by the store's rules and saved as the day's ranked results (replacing an earlier run of the same day).
`analyse`, per store: the AI's verdict on the day's top 20 (research/services/analyst.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nozzly.catalog.domain.catalog import StoreStatus
from nozzly.imports.domain.ai_budget import day_of
from nozzly.observability import logger
from nozzly.research.adapters.research_results import ResearchResultsRepository
from nozzly.research.adapters.research_settings import ResearchSettingsRepository
from nozzly.research.domain.candidates import normalise
from nozzly.research.domain.dedupe import dedupe
from nozzly.research.domain.research_settings import ResearchSettings
from nozzly.research.domain.results import RunSummary, results_of
from nozzly.research.domain.scoring import rank
from nozzly.research.domain.sources import Harvest, ResearchSource, SourceQuery
from nozzly.stores.adapters.stores import StoresRepository

OPEN = (StoreStatus.ACTIVE, StoreStatus.READY)
SourcesFor = Callable[[ResearchSettings], Sequence[ResearchSource]]


@dataclass(frozen=True)
class ResearchRun:
    stores: StoresRepository
    settings: ResearchSettingsRepository
    results: ResearchResultsRepository
    sources_for: SourcesFor
    clock: Callable[[], float] = field(default=time.time)

    def due_stores(self, now: float) -> list[str]:
        due = []
        for store_id in sorted(self.stores.list_store_ids()):
            store = self.stores.find(store_id)
            if store is not None and store.status in OPEN and self.settings.settings(store_id).due(now):
                due.append(store_id)
        return due

    def gather(self, store_id: str, day: str) -> RunSummary:
        store = self.stores.get(store_id)
        settings = self.settings.settings(store_id)
        now = self.clock()
        query = SourceQuery(store_id, store.currency, settings.search_terms(store.niche), now)
        harvest = Harvest()
        for source in self.sources_for(settings):
            found = source.fetch(query)
            harvest.candidates += found.candidates
            harvest.signals += found.signals
            harvest.failures += found.failures
        usable = [c for c in map(normalise, harvest.candidates) if c is not None and c.cost.currency == store.currency]
        ranked = rank(dedupe(usable), settings.scoring, harvest.signals)
        summary = RunSummary(
            day, len(harvest.candidates), len(ranked), len(harvest.signals), tuple(harvest.failures), int(now)
        )
        self.results.replace_day(store_id, results_of(day, ranked), summary)
        if harvest.failures:
            logger.warning("research sources failed", extra={"store": store_id, "failures": harvest.failures})
        return summary

    def today(self) -> str:
        return day_of(self.clock())
