"""A product candidate as every source yields it, and the trend signals that score it.

Sources differ (a supplier's CSV, JSON or Google Merchant XML feed; Reddit posts), so each adapter maps its
wire format onto these two shapes and nothing downstream knows where a candidate came from but its `source`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from nozzly.kernel.domain.money import Money

MAX_TITLE = 200
_GTIN_LENGTHS = (8, 12, 13, 14)


@dataclass(frozen=True, slots=True)
class Candidate:
    source: str  # the feed's or source's id in the store's research settings
    source_id: str  # the supplier's id for the product (unique within its source)
    title: str
    url: str  # the supplier's product document: what an import fetches
    cost: Money
    shipping: Money
    shipping_days: int
    gtin: str = ""
    rating_tenths: int | None = None  # 47 = 4.7 stars; None: no ratings yet
    order_count: int = 0
    competitors: int = 0  # other shops the feed says already sell it
    image_url: str = ""

    @property
    def landed(self) -> int:
        return self.cost.amount + self.shipping.amount


@dataclass(frozen=True, slots=True)
class TrendSignal:
    """One post or mention a trends source found for the store's keywords."""

    title: str
    upvotes: int
    comments: int
    age_hours: float


def title_tokens(title: str) -> list[str]:
    """The title's words, lower-cased and accent-free, so "Café  Mug" and "cafe mug" compare equal."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", plain)


def normalise_gtin(raw: str) -> str:
    """GTIN-8/12/13/14 digits, or empty when the value is not one (a feed's junk must not merge products)."""
    digits = re.sub(r"[\s-]", "", raw or "")
    return digits if digits.isdigit() and len(digits) in _GTIN_LENGTHS and set(digits) != {"0"} else ""


def normalise(candidate: Candidate) -> Candidate | None:
    """Tidy what feeds get wrong (spacing, GTIN junk, negative counts); None when the candidate is unusable."""
    title = " ".join(candidate.title.split())[:MAX_TITLE]
    if not title or not candidate.source_id or candidate.cost.amount <= 0:
        return None
    if candidate.shipping.currency != candidate.cost.currency:
        return None  # a landed cost cannot add two currencies
    rating = candidate.rating_tenths
    return replace(
        candidate,
        title=title,
        gtin=normalise_gtin(candidate.gtin),
        rating_tenths=None if rating is None else min(max(rating, 0), 50),
        order_count=max(candidate.order_count, 0),
        competitors=max(candidate.competitors, 0),
        shipping_days=max(candidate.shipping_days, 0),
    )
