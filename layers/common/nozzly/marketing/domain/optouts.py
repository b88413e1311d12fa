"""The store-wide marketing opt-out: every marketing email carries a one-click link made of a random token; the
link records the address's opt-out, after which none of the store's marketing flows writes to it again. Pure.
"""

from __future__ import annotations

import re
import secrets
from typing import Final
from urllib.parse import quote

# An opt-out link works this long after the last email that carried it (each send renews it): long after the
# email itself, as a shopper may act on an old one.
OPTOUT_LINK_TTL_SECONDS: Final = 365 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # secrets.token_urlsafe(24): 192 bits, 32 characters


def new_optout_token() -> str:
    return secrets.token_urlsafe(24)


def looks_like_optout_token(token: str) -> bool:
    """Anything else is answered like an unknown token, without a read."""
    return bool(_TOKEN.match(token))


def optout_url(store_id: str, token: str, storefront_url: str | None, api_url: str) -> str:
    """Where an email's opt-out link points: the storefront's opt-out page (which POSTs the token) when the store
    names a storefront of its own, else the store's account page on the platform's address (the ShopAccountPages
    function: a button that POSTs the token; mail clients prefetch links, a GET must not opt out)."""
    if storefront_url:
        return f"{storefront_url.rstrip('/')}/reminders/opt-out?token={token}"
    return f"{api_url.rstrip('/')}/shop/{quote(store_id)}/account/reminders/opt-out?token={token}"
