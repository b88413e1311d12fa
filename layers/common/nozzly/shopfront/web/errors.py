"""Errors as pages: what went wrong in plain words, with the shop's header so the shopper can carry on."""

from __future__ import annotations

import re
from typing import Final

from aws_lambda_powertools import Logger
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from nozzly.kernel.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.shopfront.domain.seo import PageMeta
from nozzly.shopfront.web.rendering import Storefront, environment, render, storefront

logger = Logger(child=True)

STATUS: Final = {NotFound: 404, InvalidInput: 400, Conflict: 409, Unauthorized: 401, Forbidden: 403}
TITLES: Final = {
    400: "That did not look right",
    401: "Please log in",
    403: "Not allowed",
    404: "Page not found",
    409: "That could not be done",
    429: "Too many requests",
    500: "Something went wrong",
}
DEFAULT_MESSAGES: Final = {
    404: "We could not find that page. It may have moved, or the product is no longer sold.",
    500: "Something went wrong on our side. Please try again in a moment.",
}


def _store_around(request: Request) -> Storefront | None:
    """The store whose pages the path is under, if it is one (a path no route knows never loaded it)."""
    front: Storefront | None = getattr(request.state, "storefront", None)
    if front is not None or not request.url.path.startswith("/shop/"):
        return front
    store_id = request.url.path.split("/")[2]
    if not re.fullmatch(SLUG_PATTERN.strip("^$"), store_id):
        return None
    try:
        return storefront(request, request.app.state.shop, store_id)
    except DomainError:
        return None


def error_page(request: Request, status: int, message: str | None = None) -> HTMLResponse:
    front = _store_around(request)
    text = message or DEFAULT_MESSAGES.get(status) or TITLES.get(status, "Error")
    meta = PageMeta(title=TITLES.get(status, "Error"), noindex=True)
    if front is None:  # no such store (or it failed before knowing it): a page without a shop around it
        html = environment().get_template("no_store.html").render(meta=meta, message=text, status=status)
        return HTMLResponse(html, status_code=status)
    return render(request, front, "error.html", meta, status=status, message=text, status_code=status)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, TooManyRequests):
        response = error_page(request, 429, exc.message)
        response.headers["retry-after"] = str(exc.retry_after)
        return response
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
    return error_page(request, status, exc.message)


async def _not_valid(request: Request, exc: Exception) -> Response:
    return error_page(request, 400, "Some of what was sent is not valid. Please check it and try again.")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_page(request, exc.status_code, None if exc.status_code == 404 else str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("page failed")
    return error_page(request, 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _not_valid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
