"""CSRF tokens for the storefront's forms: a random token in an HttpOnly cookie, repeated in every form.

A cross-site page cannot read the cookie, so it cannot repeat the token (the double-submit pattern); the cookie's
SameSite=Lax keeps it off cross-site POSTs as well.
"""

from __future__ import annotations

import hmac
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def accepted(cookie: str | None, submitted: str | None) -> bool:
    """The form's token is the cookie's (compared in constant time); a missing one never matches."""
    if not cookie or not submitted:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())
