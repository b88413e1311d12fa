"""Who is shopping: the signed-in shopper behind the page's cookies, kept signed in across access-token expiry.

The access token (15 minutes) and the refresh token (30 days) live in HttpOnly cookies; Cognito checks the access
token on each page that needs the shopper (GetUser), and a refresh replaces it when it has run out.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from nozzly.accounts.domain.accounts import Caller, Tokens
from nozzly.kernel.domain.errors import Unauthorized
from nozzly.realtime.domain.passes import PASS_SECONDS
from nozzly.shopfront.web import session
from nozzly.shopfront.web.shop import Shop
from nozzly.shopfront.web.site import Site


def signed_in_shopper(request: Request, shop: Shop, store_id: str) -> Caller | None:
    """The shopper of this store the cookies name, or None (no cookies, or tokens no longer valid: cleared)."""
    access = request.cookies.get(session.ACCESS)
    refresh = request.cookies.get(session.REFRESH)
    if not access and not refresh:
        return None
    accounts = shop.accounts(store_id)
    if access:
        try:
            return _live(request, shop, store_id, accounts.caller_of_token(access))
        except Unauthorized:
            pass
    if refresh:
        try:
            tokens = accounts.refresh(refresh)
            caller = accounts.caller_of_token(tokens.access_token)
        except Unauthorized:
            pass
        else:
            session.queue_cookie(request, session.ACCESS, tokens.access_token, tokens.expires_in)
            return _live(request, shop, store_id, caller)
    for name in (session.ACCESS, session.REFRESH, session.LIVE):
        session.queue_cookie(request, name, None)
    return None


def _live(request: Request, shop: Shop, store_id: str, caller: Caller) -> Caller:
    """Keeps the shopper's live pass current (its cookie), so every page can follow their cart's changes."""
    held = session.live_pass(request)
    passes = shop.live_passes()
    if held is not None and held[0] == caller.sub and not passes.due(held[1]):
        return caller
    minted = passes.mint(store_id, caller.sub)
    if minted is not None:
        session.queue_cookie(request, session.LIVE, f"{caller.sub}.{minted}", PASS_SECONDS)
    return caller


def shopper_email(caller: Caller) -> str:
    """A shopper's username is "<store>#<email>"."""
    return caller.username.partition("#")[2]


def sign_in(response: Response, site: Site, tokens: Tokens) -> None:
    session.set_cookie(response, site, session.ACCESS, tokens.access_token, tokens.expires_in)
    if tokens.refresh_token:
        session.set_cookie(response, site, session.REFRESH, tokens.refresh_token, session.MONTH)


def sign_out(response: Response, site: Site) -> None:
    for name in (session.ACCESS, session.REFRESH, session.CART_COUNT, session.LIVE):
        session.clear_cookie(response, site, name)
