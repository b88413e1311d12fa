"""Supplier product feeds: which formats, and how a feed's own field names map onto a candidate.

A feed is CSV (a header row), JSON (a list of objects, or `{"products": [...]}`) or the Google Merchant
Center XML feed (RSS 2.0 `<item>`s with `g:` fields). Every format is read into rows of field name -> text;
the feed's mapping then names, for each candidate field, the row's field that holds it. Google Merchant
feeds default to the specification's names (`id`, `title`, `link`, `price` as "15.00 EUR", `shipping`
as a `price` inside `<g:shipping>`, `gtin`, `image_link`, `max_transit_time`); the other formats name
theirs. A row that cannot be read (no id, a price that is not a price) is skipped, never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money, minor_unit_exponent
from nozzly.research.domain.candidates import Candidate

Row = Mapping[str, str]


class FeedFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    GOOGLE_MERCHANT = "google_merchant"


FIELDS: Final = (
    "source_id", "title", "url", "cost", "shipping", "shipping_days", "gtin", "rating", "orders", "competitors",
    "image_url",
)  # fmt: skip
REQUIRED: Final = frozenset({"source_id", "title", "url", "cost"})
GOOGLE_MERCHANT_MAPPING: Final = {
    "source_id": "id",
    "title": "title",
    "url": "link",
    "cost": "price",
    "shipping": "shipping.price",
    "shipping_days": "shipping.max_transit_time",
    "gtin": "gtin",
    "image_url": "image_link",
}
_FEED_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    url: str
    format: FeedFormat
    mapping: Mapping[str, str] = field(default_factory=dict)  # candidate field -> the feed's field
    currency: str = ""  # prices without a currency are in this one (empty: the store's)
    shipping_days: int = 14  # when the feed does not say

    def __post_init__(self) -> None:
        if not _FEED_ID.match(self.id):
            raise InvalidInput("a feed id is 1-40 lower-case letters, digits and dashes", field="feeds")
        unknown = set(self.mapping) - set(FIELDS)
        if unknown:
            raise InvalidInput(f"unknown mapped fields: {', '.join(sorted(unknown))}", field="feeds")
        if self.format is not FeedFormat.GOOGLE_MERCHANT and not set(self.mapping) >= REQUIRED:
            raise InvalidInput(f"a {self.format} feed must map {', '.join(sorted(REQUIRED))}", field="feeds")

    def field_of(self, name: str) -> str:
        if self.format is FeedFormat.GOOGLE_MERCHANT:
            return self.mapping.get(name, GOOGLE_MERCHANT_MAPPING.get(name, ""))
        return self.mapping.get(name, "")


def parse_money(text: str, currency: str) -> Money:
    """ "15.00 EUR", "EUR 15.00", "15,5" or "15" (in `currency`) to minor units; InvalidInput when not money."""
    parts = text.replace(",", ".").split()
    code = next((p.upper() for p in parts if p.isalpha()), currency)
    number = next((p for p in parts if not p.isalpha()), "")
    try:
        value = Decimal(number) * (10 ** minor_unit_exponent(code))
    except InvalidOperation:
        raise InvalidInput(f"{text!r} is not a price", field="cost") from None
    if value != value.to_integral_value() or value < 0:
        raise InvalidInput(f"{text!r} has more decimals than {code} has", field="cost")
    return Money(int(value), code)


def _int(text: str, default: int | None) -> int | None:
    number = re.match(r"^\s*(\d+)", text or "")  # "12 days" and "12" both say 12
    return int(number.group(1)) if number else default


def _rating_tenths(text: str) -> int | None:
    try:
        return round(Decimal(text.replace(",", ".")) * 10) if text.strip() else None
    except InvalidOperation:
        return None


def candidates(feed: Feed, rows: Iterable[Row], store_currency: str) -> list[Candidate]:
    """The rows as candidates; unreadable rows are skipped (a feed is judged as a whole by what it yields)."""
    currency = feed.currency or store_currency
    found = []
    for row in rows:
        value = {name: str(row.get(feed.field_of(name), "") or "").strip() for name in FIELDS}
        if not all(value[name] for name in REQUIRED):
            continue
        try:
            cost = parse_money(value["cost"], currency)
            shipping = parse_money(value["shipping"], cost.currency) if value["shipping"] else Money(0, cost.currency)
        except InvalidInput:
            continue
        found.append(
            Candidate(
                source=feed.id,
                source_id=value["source_id"][:100],
                title=value["title"],
                url=value["url"],
                cost=cost,
                shipping=shipping,
                shipping_days=_int(value["shipping_days"], feed.shipping_days) or 0,
                gtin=value["gtin"],
                rating_tenths=_rating_tenths(value["rating"]),
                order_count=_int(value["orders"], 0) or 0,
                competitors=_int(value["competitors"], 0) or 0,
                image_url=value["image_url"],
            )
        )
    return found
