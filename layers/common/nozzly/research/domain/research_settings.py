"""A store's research settings: what to look for (niche keywords), where (supplier feeds, Reddit), how often,
and the markup rules prices and margins are judged by. One versioned settings section, `research`.

A store that never saved them is researched daily with Reddit on, no feeds, no keywords (its niche, if any,
is its one keyword) and the import's default markup rules. `frequency` is "daily", "weekly" (Mondays, UTC)
or "off". `report_email` (off unless the owner turns it on) emails the owner the day's top results after a
run. Stored as plain data (`to_data`), read back with `from_data`, which judges every field, so a change is
refused whole before anything is written. The markup rules are also what the product import prices by
(imports/adapters/store_pricing.py reads them from this section).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from nozzly.imports.domain.pricing import DEFAULT_RULES, PricingRules, rules_from_data, rules_to_data
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.research.domain.feeds import Feed, FeedFormat
from nozzly.research.domain.scoring import DEFAULT_FULL_MARGIN, ScoringRules

SECTION: Final = "research"
FREQUENCIES: Final = ("daily", "weekly", "off")
MAX_KEYWORDS: Final = 10
MAX_FEEDS: Final = 10
MONDAY: Final = 0


@dataclass(frozen=True, slots=True)
class ResearchSettings:
    keywords: tuple[str, ...] = ()
    feeds: tuple[Feed, ...] = ()
    reddit: bool = True
    frequency: str = "daily"
    pricing: PricingRules = field(default=DEFAULT_RULES)
    full_margin: int = DEFAULT_FULL_MARGIN
    report_email: bool = False

    @property
    def scoring(self) -> ScoringRules:
        return ScoringRules(self.pricing, self.full_margin)

    def due(self, epoch_seconds: float) -> bool:
        """Whether the daily run researches this store on that day."""
        if self.frequency == "weekly":
            return datetime.fromtimestamp(epoch_seconds, UTC).weekday() == MONDAY
        return self.frequency == "daily"

    def search_terms(self, niche: str) -> tuple[str, ...]:
        return self.keywords or ((niche.strip(),) if niche.strip() else ())


def _keywords(raw: Any) -> tuple[str, ...]:
    words = tuple(" ".join(str(k).split()) for k in raw or ())
    if len(words) > MAX_KEYWORDS or any(not 2 <= len(w) <= 60 for w in words):
        raise InvalidInput(f"up to {MAX_KEYWORDS} keywords of 2 to 60 characters", field="keywords")
    return tuple(dict.fromkeys(words))


def _feeds(raw: Any) -> tuple[Feed, ...]:
    try:
        feeds = tuple(
            Feed(
                id=str(f["id"]),
                url=str(f["url"]),
                format=FeedFormat(f["format"]),
                mapping=dict(f.get("mapping") or {}),
                currency=str(f.get("currency") or ""),
                shipping_days=int(f.get("shipping_days", 14)),
            )
            for f in raw or ()
        )
    except (KeyError, ValueError, TypeError):
        raise InvalidInput(
            "a feed needs an id, a url and a format (csv, json, google_merchant)", field="feeds"
        ) from None
    if len(feeds) > MAX_FEEDS or len({f.id for f in feeds}) != len(feeds):
        raise InvalidInput(f"up to {MAX_FEEDS} feeds, each with its own id", field="feeds")
    return feeds


def from_data(data: Mapping[str, Any]) -> ResearchSettings:
    frequency = str(data.get("frequency", "daily"))
    if frequency not in FREQUENCIES:
        raise InvalidInput(f"frequency is one of {', '.join(FREQUENCIES)}", field="frequency")
    full_margin = int(data.get("full_margin", DEFAULT_FULL_MARGIN))
    if full_margin <= 0:
        raise InvalidInput("full_margin must be above zero", field="full_margin")
    return ResearchSettings(
        keywords=_keywords(data.get("keywords")),
        feeds=_feeds(data.get("feeds")),
        reddit=bool(data.get("reddit", True)),
        frequency=frequency,
        pricing=rules_from_data(data.get("markup")),
        full_margin=full_margin,
        report_email=data.get("report_email", False) is True,
    )


def to_data(settings: ResearchSettings) -> dict[str, Any]:
    return {
        "keywords": list(settings.keywords),
        "feeds": [
            {
                "id": f.id,
                "url": f.url,
                "format": f.format.value,
                "mapping": dict(f.mapping),
                "currency": f.currency,
                "shipping_days": f.shipping_days,
            }
            for f in settings.feeds
        ],
        "reddit": settings.reddit,
        "frequency": settings.frequency,
        "markup": rules_to_data(settings.pricing),
        "full_margin": settings.full_margin,
        "report_email": settings.report_email,
    }
