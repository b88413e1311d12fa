"""One store's SEO report: each page's issues and score, the store's score and the five fixes that matter most.

A page starts at 100 and loses each issue's weight (never below 0). The store's score is the mean of its
published pages' scores: unpublished pages are listed (their issues will matter once they go live) but do not
count. The top fixes are the heaviest issues of published pages; a tie goes to products, then posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from nozzly.seo.domain.rules import Issue, Page, page_issues, site_issues

TOP_FIXES: Final = 5
PAGES_KEPT: Final = 500  # the worst pages stored: the report stays one item (DynamoDB's 400 KB)
_KIND_ORDER: Final = {"product": 0, "post": 1, "category": 2}


@dataclass(frozen=True, slots=True)
class PageReport:
    kind: str
    slug: str
    title: str
    published: bool
    score: int
    issues: tuple[Issue, ...]


@dataclass(frozen=True, slots=True)
class Fix:
    kind: str
    slug: str
    title: str
    code: str
    weight: int
    message: str


@dataclass(frozen=True, slots=True)
class SeoReport:
    store_id: str
    computed_at: int
    score: int
    pages_total: int
    pages_with_issues: int
    pages: tuple[PageReport, ...]  # worst first, at most PAGES_KEPT
    top_fixes: tuple[Fix, ...]


def score_of(issues: Sequence[Issue]) -> int:
    return max(0, 100 - sum(i.weight for i in issues))


def build_report(store_id: str, pages: Sequence[Page], computed_at: int) -> SeoReport:
    across = site_issues(pages)
    reports = []
    for page in pages:
        issues = tuple(page_issues(page) + across.get(page.ref, []))
        reports.append(PageReport(page.kind, page.slug, page.title, page.published, score_of(issues), issues))
    live = [r for r in reports if r.published]
    score = round(sum(r.score for r in live) / len(live)) if live else 100
    fixes = sorted(
        (Fix(r.kind, r.slug, r.title, i.code, i.weight, i.message) for r in live for i in r.issues),
        key=lambda f: (-f.weight, _KIND_ORDER.get(f.kind, 9), f.slug, f.code),
    )
    worst = sorted(reports, key=lambda r: (r.score, not r.published, _KIND_ORDER.get(r.kind, 9), r.slug))
    return SeoReport(
        store_id=store_id,
        computed_at=computed_at,
        score=score,
        pages_total=len(reports),
        pages_with_issues=sum(1 for r in reports if r.issues),
        pages=tuple(worst[:PAGES_KEPT]),
        top_fixes=tuple(fixes[:TOP_FIXES]),
    )
