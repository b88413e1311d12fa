"""What a research run saves per store and day: the ranked candidates with their scores, the AI's verdicts,
and the run's summary; and the store's watchlist of results it wants to keep an eye on.

A result's id is derived from its source and the supplier's id, so the same product keeps its id across
days and runs (a watchlist entry and a bulk import name it); its rank is the day's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.research.domain.candidates import Candidate
from nozzly.research.domain.scoring import Ranked, Score
from nozzly.research.domain.verdicts import Verdict

TOP_FOR_AI: Final = 20
KEEP_DAYS: Final = 90
MAX_NOTES: Final = 2_000
MAX_BULK: Final = 50  # research results in one bulk import


class AiStatus(StrEnum):
    PENDING = "pending"  # in the top 20, not analysed yet
    DONE = "done"
    INVALID = "invalid"  # the answer broke the schema twice
    BUDGET = "budget"  # today's AI budget was spent first
    UNAVAILABLE = "unavailable"  # Bedrock refused or stayed throttled
    SKIPPED = "skipped"  # below the top 20: never sent to the AI


def result_id_of(source: str, source_id: str) -> str:
    return "res_" + hashlib.sha256(f"{source}\n{source_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ResearchResult:
    result_id: str
    day: str  # YYYY-MM-DD, UTC
    rank: int
    candidate: Candidate
    score: Score
    ai_status: AiStatus
    verdict: Verdict | None = None


@dataclass(frozen=True, slots=True)
class RunSummary:
    day: str
    candidates: int  # found by every source together, before dedupe
    results: int  # kept after dedupe
    signals: int
    failures: tuple[str, ...]
    at: int  # epoch seconds


def results_of(day: str, ranked: list[Ranked]) -> list[ResearchResult]:
    return [
        ResearchResult(
            result_id_of(r.candidate.source, r.candidate.source_id),
            day,
            r.rank,
            r.candidate,
            r.score,
            AiStatus.PENDING if r.rank <= TOP_FOR_AI else AiStatus.SKIPPED,
        )
        for r in ranked
    ]


@dataclass(frozen=True, slots=True)
class WatchEntry:
    result_id: str
    day: str  # the research day it was added from
    title: str
    url: str
    source: str
    score: int
    notes: str
    added_by: str
    added_at: int


def check_notes(notes: str) -> str:
    if len(notes) > MAX_NOTES:
        raise InvalidInput(f"notes are at most {MAX_NOTES} characters", field="notes")
    return notes.strip()
