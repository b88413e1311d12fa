"""Jinja2 templates (autoescaped) and what every page shows: the store, its theme, the header's links."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from nozzly.catalog.domain.catalog import Store
from nozzly.shopfront.domain.money_text import money_text
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.domain.theme import Theme, theme
from nozzly.shopfront.web import session
from nozzly.shopfront.web.assets import asset_url
from nozzly.shopfront.web.shop import Shop
from nozzly.shopfront.web.site import Site, site_of

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,  # a name a template misspells fails the tests, not a shopper's page
    )
    env.globals["asset"] = asset_url
    env.globals["order_stages"] = _order_stages
    env.filters["money"] = money_text
    return env


def _order_stages() -> dict[str, int]:
    from nozzly.orders.domain.order_status import stages  # only the order pages need the status machine

    return stages()


@dataclass(frozen=True)
class Storefront:
    """One store as every page of it shows it."""

    site: Site
    store: Store
    theme: Theme
    branding: dict[str, Any]
    csrf: str
    cart_count: int
    signed_in: bool
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))


def storefront(request: Request, shop: Shop, store_id: str) -> Storefront:
    """The store (404 page for an unknown or closed one) and its branding: two reads."""
    store = shop.stores().get(store_id)
    branding = shop.store_settings().email_settings(store_id) or {}
    front = Storefront(
        site=site_of(request, store_id),
        store=store,
        theme=theme(branding.get("brand_colour")),
        branding=branding,
        csrf=session.csrf_token(request),
        cart_count=session.cart_count(request),
        signed_in=bool(request.cookies.get(session.ACCESS) or request.cookies.get(session.REFRESH)),
    )
    request.state.storefront = front  # the error pages and the CSP header (its nonce) read it
    return front


def render(
    request: Request,
    front: Storefront,
    template: str,
    meta: PageMeta,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(
            shop=front,
            site=front.site,
            store=front.store,
            theme=front.theme,
            meta=meta,
            request=request,
            live_cart=_live_cart(request, front),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def _live_cart(request: Request, front: Storefront) -> dict[str, str] | None:
    """Where the page hears of the signed-in shopper's cart changing (static/live.js), decided at render time: the
    page's handler may just have verified the shopper and minted their pass. None: the badge stays as rendered."""
    held = session.live_pass(request) if front.signed_in else None
    url = request.app.state.shop.live_url()
    if held is None or not url:
        return None
    sub, token = held
    return {"url": url, "room": f"shopper:{front.store.store_id}:{sub}", "token": token}
