"""The SEO overview over HTTP (operators)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from nozzly.seo.domain.report import SeoReport

Kind = Literal["product", "post"]


class IssueOut(BaseModel):
    code: str = Field(description="missing_seo_title, seo_title_too_long, missing_meta_description, ...")
    weight: int = Field(description="Points the issue costs the page's score of 100.")
    message: str


class PageOut(BaseModel):
    kind: Kind
    slug: str
    title: str
    published: bool
    score: int = Field(ge=0, le=100)
    issues: list[IssueOut]


class FixOut(BaseModel):
    kind: Kind
    slug: str
    title: str
    code: str
    weight: int
    message: str


class SeoReportOut(BaseModel):
    computed_at: str = Field(description="When the nightly job (or the store's first read) computed it; ISO 8601.")
    score: int = Field(ge=0, le=100, description="The mean score of the store's published pages.")
    pages_total: int
    pages_with_issues: int
    top_fixes: list[FixOut] = Field(description="The five fixes that matter most, heaviest first.")
    pages: list[PageOut] = Field(description="Worst first; at most 500.")


def report_out(report: SeoReport) -> SeoReportOut:
    return SeoReportOut(
        computed_at=datetime.fromtimestamp(report.computed_at, UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        score=report.score,
        pages_total=report.pages_total,
        pages_with_issues=report.pages_with_issues,
        top_fixes=[
            FixOut(kind=f.kind, slug=f.slug, title=f.title, code=f.code, weight=f.weight, message=f.message)  # type: ignore[arg-type]
            for f in report.top_fixes
        ],
        pages=[
            PageOut(
                kind=p.kind,  # type: ignore[arg-type]
                slug=p.slug,
                title=p.title,
                published=p.published,
                score=p.score,
                issues=[IssueOut(code=i.code, weight=i.weight, message=i.message) for i in p.issues],
            )
            for p in report.pages
        ],
    )
