"""The owner's daily research report: which of the day's results it lists, and where it sends them to act.

Opt-in (the research settings' `report_email`), at most one email per store and research day: the report's
claim (research/adapters/report_claims.py) is taken before the send. The email lists the day's best results,
in the run's rank order, each with its score and the AI's verdict (or why there is none), and links to the
console's product import page, where a result becomes a draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from nozzly.research.domain.results import AiStatus, ResearchResult

TOP_IN_REPORT: Final = 10


class ReportOutcome(StrEnum):
    SENT = "sent"
    OFF = "off"  # the store did not ask for the report
    EMPTY = "empty"  # the day has no results: nothing to report (no claim taken)
    ALREADY = "already"  # the day's report was claimed before (sent, or being sent): never a second email
    NO_OWNER = "no_owner"  # nobody to send it to; the day is settled without an email


# What a result without a verdict says instead (the results route's ai_status values).
NO_VERDICT: Final = {
    AiStatus.PENDING: "not analysed yet",
    AiStatus.SKIPPED: "not analysed (below the top 20)",
    AiStatus.BUDGET: "not analysed (the AI budget of the day was spent)",
    AiStatus.INVALID: "no usable AI answer",
    AiStatus.UNAVAILABLE: "the AI was unavailable",
}


def top_results(results: Sequence[ResearchResult], limit: int = TOP_IN_REPORT) -> list[ResearchResult]:
    return sorted(results, key=lambda r: r.rank)[:limit]


def verdict_text(result: ResearchResult) -> str:
    if result.verdict is not None:
        return result.verdict.verdict
    return NO_VERDICT.get(result.ai_status, result.ai_status.value)


def console_link(console_url: str, store_id: str) -> str | None:
    """The console's product import page for the store (the console routes by the URL's fragment); None when
    the stack has no console address."""
    if not console_url:
        return None
    return f"{console_url.rstrip('/')}/#/s/{store_id}/imports"
