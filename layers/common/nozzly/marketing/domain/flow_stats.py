"""What a flow's counters mean, and the rules that feed them. Pure.

- sent: counted by the sender after its email went out.
- clicked: the first click of each email's tracked link (`/r/{token}`: the link is stored server-side, so the
  redirect goes only where the email said, never to a URL from the request).
- converted: an order by the clicking address within 7 days of its click, once per click.
- opened: not counted. SES measures opens with a pixel it adds through a configuration set's open tracking; the
  local emulator (moto) keeps configuration sets but publishes no engagement events, so no open is produced
  locally and the API answers null rather than a number nobody measured.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Final

DAY: Final = 86400
CONVERSION_WINDOW_SECONDS: Final = 7 * DAY
LINK_TTL_SECONDS: Final = 90 * DAY  # a tracked link still redirects this long after its email
_NONCE = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16): 128 bits
_TOKEN = re.compile(r"^([a-z0-9-]{1,80})\.([A-Za-z0-9_-]{22})$")


@dataclass(frozen=True, slots=True)
class FlowCounts:
    sent: int = 0
    clicked: int = 0
    converted: int = 0
    opened: int | None = None  # not measured (see above)


@dataclass(frozen=True, slots=True)
class TrackedLink:
    store_id: str
    nonce: str
    flow: str
    url: str
    email: str
    expires_at: int

    @property
    def token(self) -> str:
        return link_token(self.store_id, self.nonce)


@dataclass(frozen=True, slots=True)
class Click:
    """An address's latest click on a flow's link in a store (what a later order is credited to)."""

    store_id: str
    email: str
    flow: str
    clicked_at: int
    converted_by: str | None = None


def new_link(store_id: str, flow: str, url: str, email: str, now: float) -> TrackedLink:
    """A fresh tracked link to `url` for one email of `flow` to `email`."""
    return TrackedLink(store_id, secrets.token_urlsafe(16), flow, url, email.lower(), int(now) + LINK_TTL_SECONDS)


def link_token(store_id: str, nonce: str) -> str:
    """The store travels in the token: the redirect route has no store in its path."""
    return f"{store_id}.{nonce}"


def parse_token(token: str) -> tuple[str, str] | None:
    """(store id, nonce), or None for anything that cannot be a token (answered like an unknown one)."""
    found = _TOKEN.match(token)
    return (found.group(1), found.group(2)) if found and _NONCE.match(found.group(2)) else None


def tracked_url(api_url: str, link: TrackedLink) -> str:
    """What the email shows: the redirect route on the platform's address."""
    return f"{api_url.rstrip('/')}/r/{link.token}"


def converts(click: Click | None, ordered_at: float) -> bool:
    """True when an order at `ordered_at` counts as this click's conversion (at most once per click)."""
    if click is None or click.converted_by is not None:
        return False
    return click.clicked_at <= ordered_at <= click.clicked_at + CONVERSION_WINDOW_SECONDS
