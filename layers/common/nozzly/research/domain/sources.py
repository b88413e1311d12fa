"""The one interface every research source meets: given what the store looks for, what it found.

A supplier feed yields candidates; a trends source yields signals about them; a source may yield both.
Adapters implement it (`research/adapters/supplier_feeds.py`, `research/adapters/reddit_trends.py`), and the
research service loops over the store's sources without knowing which is which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from nozzly.research.domain.candidates import Candidate, TrendSignal


@dataclass(frozen=True, slots=True)
class SourceQuery:
    store_id: str
    currency: str
    keywords: tuple[str, ...]
    now: float  # epoch seconds: signals' ages are measured from it


@dataclass(slots=True)
class Harvest:
    candidates: list[Candidate] = field(default_factory=list)
    signals: list[TrendSignal] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # a source that failed: named, the run goes on


class ResearchSource(Protocol):
    @property
    def name(self) -> str: ...

    def fetch(self, query: SourceQuery) -> Harvest: ...
