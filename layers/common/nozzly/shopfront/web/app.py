"""A page function's FastAPI app: its routers, the error pages and the security headers."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, FastAPI

from nozzly.shopfront.web import errors
from nozzly.shopfront.web.security import PageHeaders
from nozzly.shopfront.web.shop import Shop


def build_pages(title: str, routers: Sequence[APIRouter], shop: Shop) -> FastAPI:
    """Pages are for browsers, not part of the JSON API's OpenAPI document (README: "The storefront")."""
    app = FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.shop = shop
    app.add_middleware(PageHeaders)
    errors.install(app)
    for router in routers:
        app.include_router(router, include_in_schema=False)
    return app
