"""The shopper's cookies: guest session, tokens, CSRF token and cart count.

All HttpOnly (no page script needs them; tokens never reach localStorage), SameSite=Lax, Secure over HTTPS, and
scoped to the store's pages (their path prefix), so two stores on one address keep apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from fastapi import Request, Response

from nozzly.kernel.domain.errors import Forbidden
from nozzly.shopfront.domain import csrf
from nozzly.shopfront.web.site import Site

GUEST: Final = "nz_guest"
ACCESS: Final = "nz_access"
REFRESH: Final = "nz_refresh"
CSRF: Final = "nz_csrf"
CART_COUNT: Final = "nz_cart"
LIVE: Final = "nz_live"  # "{sub}.{live pass}": the shopper's own live room (realtime/domain/passes.py)
YEAR: Final = 365 * 24 * 3600
MONTH: Final = 30 * 24 * 3600
CSRF_FIELD: Final = "csrf"


def set_cookie(response: Response, site: Site, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=site.cookie_path, secure=site.secure, httponly=True, samesite="lax"
    )


def clear_cookie(response: Response, site: Site, name: str) -> None:
    response.delete_cookie(name, path=site.cookie_path, secure=site.secure, httponly=True, samesite="lax")


def queue_cookie(request: Request, name: str, value: str | None, max_age: int = 0) -> None:
    """A cookie for whatever response the request ends in (security.PageHeaders sets it); None clears it."""
    queued: dict[str, tuple[str | None, int]] = getattr(request.state, "cookies", {})
    queued[name] = (value, max_age)
    request.state.cookies = queued


def queued_cookies(request: Request) -> dict[str, tuple[str | None, int]]:
    found: dict[str, tuple[str | None, int]] = getattr(request.state, "cookies", {})
    return found


def csrf_token(request: Request) -> str:
    """The page's CSRF token: the cookie's, or a new one the response will set."""
    token = request.cookies.get(CSRF) or queued_cookies(request).get(CSRF, (None, 0))[0]
    if not token:
        token = csrf.new_token()
        queue_cookie(request, CSRF, token, MONTH)
    return str(token)


def require_csrf(request: Request, form: Mapping[str, object]) -> None:
    """A state-changing form must carry the cookie's token: 403 otherwise (and nothing changes)."""
    submitted = form.get(CSRF_FIELD)
    if not csrf.accepted(request.cookies.get(CSRF), submitted if isinstance(submitted, str) else None):
        raise Forbidden("This form has expired. Please go back, reload the page and try again.")


async def posted_form(request: Request) -> dict[str, object]:
    """A POSTed form's fields, once its CSRF token is checked: 403 before any page reads them otherwise."""
    form: dict[str, object] = dict((await request.form()).items())
    require_csrf(request, form)
    return form


def cart_count(request: Request) -> int:
    try:
        return max(0, int(request.cookies.get(CART_COUNT) or 0))
    except ValueError:
        return 0


_LIVE: Final = re.compile(r"^(?P<sub>[A-Za-z0-9][A-Za-z0-9_-]{0,127})\.(?P<token>[0-9]{10}\.[A-Za-z0-9_-]{43})$")


def live_pass(request: Request) -> tuple[str, str] | None:
    """The signed-in shopper's (sub, live pass) this response leaves the browser with, if any."""
    queued = queued_cookies(request)
    value = queued[LIVE][0] if LIVE in queued else request.cookies.get(LIVE)
    match = _LIVE.match(value) if value else None
    return (match["sub"], match["token"]) if match else None
