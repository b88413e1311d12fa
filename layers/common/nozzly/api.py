"""Building a function's FastAPI app, its one error mapping, and its Lambda handler."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from nozzly.boot import end_of_init

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from mangum import Mangum
from starlette.exceptions import HTTPException

from nozzly.gateway_context import jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorDetail, ErrorResponse, FieldError, PlanLimitDetail
from nozzly.kernel.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PaymentRequired,
    TooManyRequests,
    Unauthorized,
)
from nozzly.observability import Handler, lambda_entry, logger

_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    InvalidInput: 400,
    Conflict: 409,
    Unauthorized: 401,
    Forbidden: 403,
    TooManyRequests: 429,
    PaymentRequired: 402,
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid input"},
    404: {"model": ErrorResponse, "description": "Not found"},
}
# A limited create (store, product) may be refused by the account's plan: 402 plan_limit_reached with `plan_limit`.
PLAN_LIMIT: dict[int | str, dict[str, Any]] = {
    402: {"model": ErrorResponse, "description": "The plan's limit is reached, or the account must pay first"}
}
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_RESTRICTED = {
    "description": "account_restricted: the store's account is restricted until it pays (its stores keep selling)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
}
# FastAPI documents a 422 for every route with parameters; invalid input is 400 here (_validation_error).
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")


def operation_ids(prefix: str = "") -> Callable[[APIRoute], str]:
    """Short, stable operationIds: the handler's name in lowerCamelCase (create_coupon: createCoupon).

    A router whose handler names another function (or router) also uses gives a prefix (guest: guestGetCart);
    the merged document refuses two operations with one id (localcloud/docs.py).
    """

    def operation_id(route: APIRoute) -> str:
        words = [w for w in (prefix, *route.name.split("_")) if w]
        return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])

    return operation_id


def _request_id(request: Request) -> str | None:
    event = request.scope.get("aws.event") or {}
    request_id: str | None = event.get("requestContext", {}).get("requestId")
    return request_id


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    fields: list[FieldError],
    *,
    headers: dict[str, str] | None = None,
    allowed: list[str] | None = None,
    plan_limit: dict[str, object] | None = None,
) -> JSONResponse:
    detail = ErrorDetail(
        code=code,
        message=message,
        fields=fields,
        allowed=allowed,
        plan_limit=PlanLimitDetail.model_validate(plan_limit) if plan_limit else None,
        request_id=_request_id(request),
    )
    # `allowed` and `plan_limit` are shown only where they mean something (an illegal status change, a full plan).
    hidden = {k for k, v in (("allowed", allowed), ("plan_limit", plan_limit)) if v is None}
    content = ErrorResponse(error=detail).model_dump(exclude={"error": hidden} if hidden else None)
    return JSONResponse(status_code=status, content=content, headers=headers)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = next((s for kind, s in _STATUS.items() if isinstance(exc, kind)), 400)
    fields = [FieldError(field=exc.field, message=exc.message)] if exc.field else []
    retry_after = getattr(exc, "retry_after", None)  # too many requests; a transaction cancelled by a concurrent one
    headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
    location = getattr(exc, "location", None)  # a conflict with something the caller can follow instead
    headers |= {"location": location} if location else {}
    allowed = getattr(exc, "allowed", None)  # an illegal status change names the legal ones
    return error_response(
        request,
        status,
        exc.code,
        exc.message,
        fields,
        headers=headers or None,
        allowed=None if allowed is None else list(allowed),
        plan_limit=getattr(exc, "plan_limit", None),
    )


# A body FastAPI could not read as a JSON object: not JSON at all, not UTF-8, or sent without a JSON content type
# (then it reaches validation as raw bytes).
_UNREADABLE_BODY = "request body must be a JSON object sent as UTF-8 with content-type application/json"
_NOT_AN_OBJECT = frozenset({"model_attributes_type", "dict_type", "model_type"})


def _unreadable_body(errors: Sequence[Any]) -> bool:
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid" and loc[:1] == ("body",):
            return True
        if loc == ("body",) and (err.get("type") in _NOT_AN_OBJECT or isinstance(err.get("input"), bytes)):
            return True
    return False


def invalid_body(request: Request) -> JSONResponse:
    return error_response(
        request, 400, "invalid_body", _UNREADABLE_BODY, [FieldError(field="body", message=_UNREADABLE_BODY)]
    )


def _field_name(loc: tuple[Any, ...]) -> str:
    # Only the first part says where the value came from: a body field may itself be named "path" or "query".
    parts = loc[1:] if loc[:1] and loc[0] in ("body", "query", "path", "header") else loc
    return ".".join(str(p) for p in parts)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if _unreadable_body(exc.errors()):
        return invalid_body(request)
    fields = [
        FieldError(
            field=_field_name(tuple(err["loc"])),
            message=err["msg"],
        )
        for err in exc.errors()
    ]
    return error_response(request, 400, "validation_error", "request is not valid", fields)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:
        # FastAPI's only 400 of its own: a body it failed to parse (e.g. bytes that are not UTF-8).
        return invalid_body(request)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(request, exc.status_code, code, str(exc.detail), [])


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error")
    return error_response(request, 500, "internal_error", "internal server error", [])


def _truthful(document: dict[str, Any]) -> dict[str, Any]:
    """What FastAPI documents that this API never sends, corrected.

    Its 422 goes: invalid input is 400 with the one error shape (ERROR_RESPONSES). An error is JSON even from a
    route that answers HTML or text (FastAPI gives error responses the route's media type).
    """
    # `webhooks`: requests the API sends (outbound webhooks), documented like routes.
    from nozzly.billing.domain.restriction import restricted_store

    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            # The account gate (_restricted_accounts) may refuse this store write before its handler runs.
            if restricted_store(method, re.sub(r"\{(\w+)\}", r"\1", path)):
                operation.get("responses", {}).setdefault("402", _RESTRICTED)
    for operations in [*document.get("paths", {}).values(), *document.get("webhooks", {}).values()]:
        for operation in operations.values():
            responses = operation.get("responses", {})
            responses.pop("422", None)
            for status, response in responses.items():
                content = response.get("content")
                if str(status).startswith(("4", "5")) and content and "application/json" not in content:
                    response["content"] = {"application/json": next(iter(content.values()))}
    schemas = document.get("components", {}).get("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    return document


async def _public_rate_limit(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """A public route (no verified JWT) counts against the caller's address in its route group's window
    (nozzly.traffic): over the limit, 429 with Retry-After before any handler runs."""
    if request.scope.get("aws.event") and jwt_claims(request) is None:
        from nozzly.wiring import traffic

        try:
            traffic.public_limits().admit(source_ip(request))
        except TooManyRequests as refused:
            headers = {"retry-after": str(refused.retry_after)}
            return error_response(request, 429, refused.code, refused.message, [], headers=headers)
        except Exception:  # the limiter's own failure must not take the shop down: let the request through
            logger.exception("public rate limit not checked")
    return await call_next(request)


async def _restricted_accounts(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """An operator's store write (`/admin/stores/{store}/...`) is refused with 402 account_restricted while the
    store's account is restricted (billing/domain/restriction.py says which writes; billing routes never are).
    One place for every admin function, before any handler runs."""
    if request.scope.get("aws.event") and request.method in _WRITES and request.url.path.startswith("/admin/stores/"):
        from nozzly.wiring import billing

        try:
            billing.account_gate().check(request.method, request.url.path)
        except PaymentRequired as refused:
            return error_response(
                request, 402, refused.code, refused.message, [FieldError(field="billing", message=refused.message)]
            )
        except Exception:  # the account cannot be read: the merchant's work goes on rather than stopping
            logger.exception("account restriction not checked")
    return await call_next(request)


def build_app(title: str, routers: Sequence[APIRouter]) -> FastAPI:
    # Docs are served once for the whole API by the gateway, not by each function.
    app = FastAPI(
        title=title,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        generate_unique_id_function=operation_ids(),
    )
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    app.middleware("http")(_public_rate_limit)
    app.middleware("http")(_restricted_accounts)
    for router in routers:
        app.include_router(router, responses=ERROR_RESPONSES)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _truthful(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def http_handler(app: FastAPI) -> Handler:
    """The Lambda entry point of an HTTP function: API Gateway HTTP API v2 events through Mangum.

    Built last in the function's module, so the init ends here (nozzly.boot paused the garbage collector for it).
    """
    entry = lambda_entry(Mangum(app, lifespan="off"))
    end_of_init()
    return entry
