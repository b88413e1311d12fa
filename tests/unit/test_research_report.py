"""The daily research report's rules: the best results in rank order (at most ten), what a result without a
verdict says, and the console link the owner acts from."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.money import Money
from nozzly.research.domain.candidates import Candidate
from nozzly.research.domain.report import TOP_IN_REPORT, console_link, top_results, verdict_text
from nozzly.research.domain.results import AiStatus, ResearchResult
from nozzly.research.domain.scoring import Score
from nozzly.research.domain.verdicts import Verdict


def result(rank: int, status: AiStatus = AiStatus.DONE, verdict: str | None = "watch") -> ResearchResult:
    candidate = Candidate("csv", f"S-{rank}", f"Product {rank}", "https://s.example/p.json", Money(900, "EUR"),
                          Money(100, "EUR"), 7)  # fmt: skip
    found = Verdict(verdict, ("why",), "who", ()) if verdict else None
    return ResearchResult(
        f"res_{rank:016x}", "2026-12-04", rank, candidate, Score(100, {}, 1999, 999, 0), status, found
    )


def test_the_report_lists_the_best_ten_in_rank_order() -> None:
    day = [result(rank) for rank in (12, 3, 1, 7, 2, 11, 4, 5, 6, 8, 9, 10)]
    assert [r.rank for r in top_results(day)] == list(range(1, TOP_IN_REPORT + 1))
    assert [r.rank for r in top_results(day[:2])] == [3, 12]


@pytest.mark.parametrize(
    ("status", "verdict", "shown"),
    [
        (AiStatus.DONE, "import", "import"),
        (AiStatus.BUDGET, None, "not analysed (the AI budget of the day was spent)"),
        (AiStatus.SKIPPED, None, "not analysed (below the top 20)"),
        (AiStatus.INVALID, None, "no usable AI answer"),
        (AiStatus.UNAVAILABLE, None, "the AI was unavailable"),
    ],
)
def test_each_result_shows_its_verdict_or_why_it_has_none(status: AiStatus, verdict: str | None, shown: str) -> None:
    assert verdict_text(result(1, status, verdict)) == shown


def test_the_link_opens_the_stores_import_page_in_the_console() -> None:
    assert console_link("https://console.example/console/", "lamp-loft") == (
        "https://console.example/console/#/s/lamp-loft/imports"
    )
    assert console_link("https://console.example/console", "lamp-loft") == (
        "https://console.example/console/#/s/lamp-loft/imports"
    )
    assert console_link("", "lamp-loft") is None  # no console address: the email carries no link
