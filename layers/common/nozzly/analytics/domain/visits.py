"""Storefront visits: what a shopper's browser reports (page and product views, searches, adds to cart, checkouts
started), which callers are dropped as bots, who the visitor is, and how a batch adds up per day. Pure Python.

Purchases are never reported by the client: sales figures come from orders (sales_contribution.py).
Every figure is per store and per store-local day (calendar.py); the server's clock decides the day.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

MAX_BATCH = 25
MAX_PATH_LENGTH = 512
MAX_QUERY_LENGTH = 200


class EventType(StrEnum):
    PAGE_VIEW = "page_view"
    PRODUCT_VIEW = "product_view"
    SEARCH = "search"
    ADD_TO_CART = "add_to_cart"
    CHECKOUT_STARTED = "checkout_started"


@dataclass(frozen=True, slots=True)
class StorefrontEvent:
    """One validated event. `product` names a product slug for product_view and add_to_cart only."""

    type: EventType
    product: str | None = None


# ---- the figures the dashboard reads (analytics/adapters/visits.py VisitsRepository.between answers them)
@dataclass(frozen=True, slots=True)
class DayVisits:
    """One store-local day of a store's storefront.

    `visitors` is the approximate number of distinct visitors that day (HyperLogLog, about 1.6 % standard
    error); the other figures are exact counts of accepted events. Days with no events are left out.
    """

    day: date
    page_views: int
    product_views: int
    searches: int
    add_to_carts: int
    checkouts_started: int
    visitors: int


@dataclass(frozen=True, slots=True)
class ProductVisits:
    """One product over a range of days: its views and adds to cart (exact), and `visitors`, the approximate
    number of distinct visitors who viewed it or added it to a cart over the whole range (each counted once
    however many days they came back)."""

    product: str
    views: int
    visitors: int
    add_to_carts: int


@dataclass(frozen=True, slots=True)
class VisitFigures:
    """A store's storefront over a range of days.

    `days`: the days with events, oldest first. `products`: by product slug, summed over the range.
    `visitors`: distinct visitors over the whole range (approximate; a visitor of several days counts once,
    so it is at most, and usually less than, the sum of the days' visitors).
    """

    days: list[DayVisits]
    products: dict[str, ProductVisits]
    visitors: int


# ---- what one batch adds
@dataclass(slots=True)
class StoreCounts:
    page_views: int = 0
    product_views: int = 0
    searches: int = 0
    add_to_carts: int = 0
    checkouts_started: int = 0

    def as_dict(self) -> dict[str, int]:
        """Only the counters the batch moved: a zero needs no write."""
        counts = {
            "page_views": self.page_views,
            "product_views": self.product_views,
            "searches": self.searches,
            "add_to_carts": self.add_to_carts,
            "checkouts_started": self.checkouts_started,
        }
        return {name: n for name, n in counts.items() if n}


@dataclass(slots=True)
class ProductCounts:
    views: int = 0
    add_to_carts: int = 0

    def as_dict(self) -> dict[str, int]:
        return {name: n for name, n in (("views", self.views), ("add_to_carts", self.add_to_carts)) if n}


@dataclass(frozen=True, slots=True)
class DayTally:
    """What one visitor's batch adds to a day: the store's counters and each product's."""

    day: date
    visitor: str
    store: StoreCounts = field(default_factory=StoreCounts)
    products: dict[str, ProductCounts] = field(default_factory=dict)


def on_sale_only(events: Sequence[StorefrontEvent], on_sale: Collection[str]) -> tuple[list[StorefrontEvent], int]:
    """The events whose product (if they name one) is on sale in the store, and how many were left out: a slug
    nobody sells would only add items no report shows."""
    kept = [e for e in events if e.product is None or e.product in on_sale]
    return kept, len(events) - len(kept)


def tally(events: Iterable[StorefrontEvent], *, day: date, visitor: str) -> DayTally:
    found = DayTally(day, visitor)
    for event in events:
        if event.type is EventType.PAGE_VIEW:
            found.store.page_views += 1
        elif event.type is EventType.SEARCH:
            found.store.searches += 1
        elif event.type is EventType.CHECKOUT_STARTED:
            found.store.checkouts_started += 1
        elif event.type is EventType.PRODUCT_VIEW and event.product:
            found.store.product_views += 1
            found.products.setdefault(event.product, ProductCounts()).views += 1
        elif event.type is EventType.ADD_TO_CART and event.product:
            found.store.add_to_carts += 1
            found.products.setdefault(event.product, ProductCounts()).add_to_carts += 1
    return found


# ---- who is calling
# Substrings of user agents that announce a crawler, a link previewer, a monitor or a script. Browsers never send
# them. A bot that pretends to be a browser passes: this only keeps honest robots out of the figures.
_BOT = re.compile(
    r"\bbot\b|bot[-_/;)]|crawl|spider|slurp|scrap|fetch|preview|monitor|pingdom|uptime|lighthouse|pagespeed|headless"
    r"|phantomjs|selenium|puppeteer|playwright|facebookexternalhit|embedly|whatsapp|^curl/|^wget/|python-|^python"
    r"|^go-http-client|^java/|okhttp|axios/|node-fetch|^libwww|^httpie|postman|insomnia",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    """Whether a user agent is an obvious robot. No user agent at all is one too: every browser sends one."""
    agent = (user_agent or "").strip()
    return not agent or _BOT.search(agent) is not None


def visitor_key(store_id: str, *, shopper: str | None, session: str | None, ip: str, user_agent: str) -> str:
    """Who the visitor is, as a hash that cannot be turned back into a token, a session id or an address.

    A signed-in shopper is their account (the same person on two devices); a guest is their session; anyone else
    is their address and browser. The store is part of the hash, so one person is unlinkable across stores.
    """
    if shopper:
        source = f"shopper:{shopper}"
    elif session:
        source = f"session:{session}"
    else:
        source = f"anonymous:{ip}|{user_agent}"
    return hashlib.sha256(f"{store_id}|{source}".encode()).hexdigest()[:32]


def token_subject(token: str | None) -> str | None:
    """The `sub` a shopper's token names, read WITHOUT checking its signature (None if it is not a JWT).

    The events route is public, so no authorizer verified the token. Its subject only decides which visitor the
    events count for: a forged one adds one approximate visitor, as a made-up guest session would, and the
    per-IP throttle bounds both. Nothing is granted on its strength.
    """
    parts = (token or "").split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    sub = claims.get("sub") if isinstance(claims, dict) else None
    return sub if isinstance(sub, str) and 0 < len(sub) <= 128 else None


# ---- rules the request bodies apply (contracts/storefront_events.py calls them)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def checked_path(value: str) -> str:
    """A storefront page's path: absolute, no scheme or host, no control characters; query and fragment cut off
    (they may carry emails or tokens, which have no place in analytics)."""
    if not value.startswith("/") or value.startswith("//"):
        raise ValueError("must be a path starting with a single '/'")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return re.split(r"[?#]", value, maxsplit=1)[0]


def checked_query(value: str) -> str:
    """A search text, trimmed; never empty."""
    text = " ".join(value.split())
    if not text:
        raise ValueError("must not be blank")
    if _CONTROL.search(text):
        raise ValueError("must not contain control characters")
    return text
