"""What the owner's daily research report shows (template research_report): the day's best results with their
score and the AI's verdict, and a link to the console's import page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, money
from nozzly.research.domain.report import verdict_text
from nozzly.research.domain.results import ResearchResult

TEMPLATE = "research_report"


def _result(r: ResearchResult) -> dict[str, Any]:
    reasons = list(r.verdict.reasons) if r.verdict else []
    return {
        "rank": r.rank,
        "title": r.candidate.title,
        "url": r.candidate.url,
        "score": f"{r.score.total / 100:.2f}",
        "verdict": verdict_text(r),
        "reason": reasons[0] if reasons else None,
        "price": money(r.score.price, r.candidate.cost.currency),
        "margin": money(r.score.margin, r.candidate.cost.currency),
    }


def daily_report(
    day: str,
    top: Sequence[ResearchResult],
    total: int,
    store: Store,
    settings: dict[str, Any] | None,
    *,
    link: str | None,
) -> dict[str, Any]:
    """`total`: how many results the day has (the email lists `top` of them); `link`: the console's import page."""
    branding = brand(store, settings)
    shown = date.fromisoformat(day).strftime("%A %d %B %Y").replace(" 0", " ")
    return {
        "subject": f"{branding['name']}: product research for {shown}",
        "brand": branding,
        "day": shown,
        "total": total,
        "results": [_result(r) for r in top],
        "link": link,
    }
