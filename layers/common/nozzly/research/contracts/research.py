"""The research routes' bodies and answers (operators' admin routes under /admin/stores/{store}/research)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from nozzly.imports.contracts.imports import ImportOut, import_out
from nozzly.imports.domain.import_runs import ImportRun
from nozzly.kernel.contracts.money import MoneyOut
from nozzly.kernel.domain.money import Money
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.research.domain.feeds import FIELDS
from nozzly.research.domain.research_settings import ResearchSettings, to_data
from nozzly.research.domain.results import MAX_BULK, MAX_NOTES, ResearchResult, RunSummary, WatchEntry

_CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored
DAY = r"^\d{4}-\d{2}-\d{2}$"
RESULT_ID = r"^res_[0-9a-f]{16}$"
FeedField = Literal[
    "source_id", "title", "url", "cost", "shipping", "shipping_days", "gtin", "rating", "orders", "competitors",
    "image_url",
]  # fmt: skip
assert set(FeedField.__args__) == set(FIELDS)  # type: ignore[attr-defined]


def _money(money: Money) -> MoneyOut:
    return MoneyOut.of(money)


class VerdictOut(BaseModel):
    verdict: Literal["import", "watch", "skip"]
    reasons: list[str]
    audience: str
    risks: list[str]


class ScoreOut(BaseModel):
    total: float = Field(description="0-100 (two decimals): the weighted sum of the points (see the README).")
    points: dict[str, int] = Field(
        description="Each factor's 0-100 points: margin, trend, proof, shipping, competition."
    )
    price: MoneyOut = Field(description="What the store's markup rules would charge.")
    margin: MoneyOut = Field(description="The price minus the supplier's cost and shipping.")
    trend_velocity: int = Field(description="Engagement per hour of the trend posts naming the product.")


class ResultOut(BaseModel):
    id: str = Field(description="The same for the same supplier product on every day.")
    rank: int
    source: str = Field(description="The feed's id, as in the research settings.")
    source_id: str
    title: str
    url: str = Field(description="The supplier's product document: what an import fetches.")
    image_url: str | None
    gtin: str | None
    cost: MoneyOut
    shipping: MoneyOut
    shipping_days: int
    rating: float | None = Field(description="Stars, 0-5; null: no ratings.")
    orders: int
    competitors: int
    score: ScoreOut
    ai_status: Literal["pending", "done", "invalid", "budget", "unavailable", "skipped"] = Field(
        description="done: `verdict` holds the AI's analysis; skipped: below the top 20; budget: the day's AI "
        "budget was spent first; invalid or unavailable: the AI gave no usable answer."
    )
    verdict: VerdictOut | None

    @classmethod
    def of(cls, r: ResearchResult) -> ResultOut:
        c, s = r.candidate, r.score
        v = r.verdict
        return cls(
            id=r.result_id,
            rank=r.rank,
            source=c.source,
            source_id=c.source_id,
            title=c.title,
            url=c.url,
            image_url=c.image_url or None,
            gtin=c.gtin or None,
            cost=_money(c.cost),
            shipping=_money(c.shipping),
            shipping_days=c.shipping_days,
            rating=None if c.rating_tenths is None else c.rating_tenths / 10,
            orders=c.order_count,
            competitors=c.competitors,
            score=ScoreOut(
                total=s.total / 100,
                points=s.points,
                price=_money(Money(s.price, c.cost.currency)),
                margin=_money(Money(s.margin, c.cost.currency)),
                trend_velocity=s.velocity,
            ),
            ai_status=r.ai_status.value,
            verdict=VerdictOut.model_validate(
                {"verdict": v.verdict, "reasons": v.reasons, "audience": v.audience, "risks": v.risks}
            )
            if v
            else None,
        )


class RunOut(BaseModel):
    candidates: int = Field(description="Found by every source together, before duplicates were merged.")
    results: int
    signals: int = Field(description="Trend posts found for the store's keywords.")
    failures: list[str] = Field(description="Sources that could not be read that day, and why.")
    at: int

    @classmethod
    def of(cls, s: RunSummary) -> RunOut:
        return cls(candidates=s.candidates, results=s.results, signals=s.signals, failures=list(s.failures), at=s.at)


class DayOut(BaseModel):
    day: str
    run: RunOut | None = Field(description="null: no research ran for the store that day.")
    results: list[ResultOut] = Field(description="Best first.")


class WatchIn(BaseModel):
    model_config = _CLOSED

    day: str = Field(pattern=DAY, description="The research day the result is taken from.")
    notes: str = Field(default="", max_length=MAX_NOTES)


class NotesIn(BaseModel):
    model_config = _CLOSED

    notes: str = Field(max_length=MAX_NOTES)


class WatchOut(BaseModel):
    id: str
    day: str
    title: str
    url: str
    source: str
    score: float
    notes: str
    added_by: str
    added_at: int

    @classmethod
    def of(cls, e: WatchEntry) -> WatchOut:
        return cls(
            id=e.result_id,
            day=e.day,
            title=e.title,
            url=e.url,
            source=e.source,
            score=e.score / 100,
            notes=e.notes,
            added_by=e.added_by,
            added_at=e.added_at,
        )


class WatchlistOut(BaseModel):
    entries: list[WatchOut]


class BandIn(BaseModel):
    model_config = _CLOSED

    below: StrictInt | None = Field(description="Costs below this (minor units); null: the last, open band.")
    markup_bp: StrictInt = Field(ge=10_000, le=1_000_000, description="25000 = x2.5.")


class MarkupIn(BaseModel):
    model_config = _CLOSED

    bands: list[BandIn] = Field(min_length=1, max_length=10)
    ending: Literal["99", "95", "00"] = "99"
    compare_at_bp: StrictInt = Field(default=0, ge=0, le=100_000)
    min_margin_bp: StrictInt = Field(default=0, ge=0, le=9_999)


class FeedIn(BaseModel):
    model_config = _CLOSED

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    url: str = Field(min_length=8, max_length=2048, description="https; public addresses only.")
    format: Literal["csv", "json", "google_merchant"]
    mapping: dict[FeedField, str] = Field(
        default_factory=dict,
        description="Candidate field -> the feed's field. csv and json feeds must map source_id, title, url and "
        "cost; google_merchant feeds default to the specification's names (shipping.price, ...).",
    )
    currency: str = Field(default="", pattern=r"^([A-Z]{3})?$", description="Prices without one; empty: the store's.")
    shipping_days: StrictInt = Field(default=14, ge=0, le=120, description="When the feed does not say.")


class SettingsPatch(BaseModel):
    model_config = _CLOSED

    version: StrictInt = Field(ge=0, description="The version read; another writer since makes this a 409.")
    keywords: list[str] | None = Field(None, max_length=10, description="Niche keywords (trend searches).")
    feeds: list[FeedIn] | None = Field(None, max_length=10)
    reddit: StrictBool | None = None
    frequency: Literal["daily", "weekly", "off"] | None = Field(None, description="weekly: Mondays (UTC).")
    markup: MarkupIn | None = None
    full_margin: StrictInt | None = Field(None, gt=0, description="Margin per sale worth full points (minor units).")
    report_email: StrictBool | None = Field(
        None, description="Email the store's owner the day's top results after each research run (off by default)."
    )

    @field_validator("keywords", "feeds", "reddit", "frequency", "markup", "full_margin", "report_email")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value

    def changes(self) -> dict[str, Any]:
        return {name: self.model_dump()[name] for name in self.model_fields_set if name != "version"}


class SettingsOut(BaseModel):
    version: int = Field(description="What a change names (0: never saved: the defaults).")
    keywords: list[str]
    feeds: list[FeedIn]
    reddit: bool
    frequency: Literal["daily", "weekly", "off"]
    markup: MarkupIn
    full_margin: int
    report_email: bool = Field(description="true: the owner gets the day's top results by email after each run.")

    @classmethod
    def of(cls, version: int, settings: ResearchSettings) -> SettingsOut:
        return cls.model_validate({"version": version} | to_data(settings))


class BulkImportIn(BaseModel):
    model_config = _CLOSED

    day: str = Field(pattern=DAY)
    result_ids: list[str] = Field(min_length=1, max_length=MAX_BULK)
    category: str = Field(pattern=SLUG_PATTERN, max_length=80, description="The category the drafts go in.")
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$", description="The copy's language.")

    @field_validator("result_ids")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(RESULT_ID, v)]
        if bad:
            raise ValueError(f"not research result ids: {', '.join(bad[:5])}")
        return value


class BulkItemOut(BaseModel):
    result_id: str
    imported: ImportOut = Field(description="The result's import (GET its progress_url to follow it).")


class BulkImportOut(BaseModel):
    imports: list[BulkItemOut] = Field(
        description="One import per result, in the order sent; follow each one's progress_url. A source imported "
        "before answers its existing import."
    )

    @classmethod
    def of(cls, done: list[tuple[str, ImportRun]]) -> BulkImportOut:
        return cls(imports=[BulkItemOut(result_id=result_id, imported=import_out(run)) for result_id, run in done])
