"""API Gateway HTTP API payload format 2.0: building the event, reading the function's answer."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote

from localcloud.routes import Match
from localcloud.template import ACCOUNT_ID

API_ID = "local"
# HTTP API's answer when the integration has not answered within its timeout (30 s unless the route says less).
TIMED_OUT_STATUS, TIMED_OUT = 503, {"message": "Service Unavailable"}
_T = TypeVar("_T")
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "+json", "+xml")


@dataclass(slots=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def json_response(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", "application/json"), *(headers or [])], json.dumps(body).encode())


def call_within(seconds: float, call: Callable[[], _T]) -> _T | None:
    """`call()`'s result, or None once `seconds` passed without one. The call still runs to its end: API Gateway
    stops waiting for the integration, but Lambda does not stop a function whose caller has gone."""
    results: list[_T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(call())
        except BaseException as exc:  # re-raised in the caller's thread
            failures.append(exc)

    worker = threading.Thread(target=run, name="integration", daemon=True)
    worker.start()
    worker.join(seconds)
    if failures:
        raise failures[0]
    return results[0] if results else None


def new_request_id() -> str:
    return base64.b32encode(uuid.uuid4().bytes[:10]).decode().rstrip("=")


def build_event(
    match: Match,
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    source_ip: str,
    host: str,
    request_id: str | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The event of one request; `authorizer` is what its route's authorizer passes on (requestContext.authorizer)."""
    merged: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies += [c.strip() for c in value.split(";") if c.strip()]
            continue
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    content_type = merged.get("content-type", "")
    is_text = (
        not body
        or any(t in content_type for t in _TEXT_TYPES)
        or content_type.startswith("application/x-www-form-urlencoded")
    )
    now = datetime.now(UTC)
    request_id = request_id or new_request_id()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": match.route.route_key if match.route.path != "$default" else "$default",
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": merged,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": host,
            "domainPrefix": host.split(".", maxsplit=1)[0],
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": merged.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": match.route.route_key if match.route.path != "$default" else "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": False,
    }
    if authorizer is not None:
        event["requestContext"]["authorizer"] = authorizer
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if match.path_parameters:
        event["pathParameters"] = {k: unquote(v) for k, v in match.path_parameters.items()}
    if body:
        text = _utf8(body) if is_text else None
        # API Gateway passes a body as text only when it is text; anything else (also a "text" body that is not
        # valid UTF-8) reaches the function base64-encoded.
        event["body"] = text if text is not None else base64.b64encode(body).decode()
        event["isBase64Encoded"] = text is None
    return event


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode()
    except UnicodeDecodeError:
        return None


def read_result(result: Any) -> HttpResponse:
    """Interpret a function's return value as API Gateway does for payload format 2.0."""
    if not isinstance(result, dict) or "statusCode" not in result:
        # A bare value is taken as a 200 JSON body.
        return json_response(200, result)
    headers = [(k.lower(), str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name.lower(), str(v)) for v in values]
    headers += [("set-cookie", c) for c in result.get("cookies") or []]
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    return HttpResponse(int(result["statusCode"]), headers, body)
