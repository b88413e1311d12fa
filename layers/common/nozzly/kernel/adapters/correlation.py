"""One id that follows a piece of work from the HTTP request that started it through Step Functions and the bus.

An HTTP request's id is the caller's `X-Correlation-Id` header when it is well formed (an integrator can find
their own call), else API Gateway's request id. Workflows carry it in their execution input and hand it to each
Lambda task as the payload's `correlation_id`; events carry it as the detail's `correlation_id`. The Lambda entry
takes it out of the event before the handler sees it, so no step contract and no outbound webhook payload
changes with it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

KEY = "correlation_id"
HEADER = "x-correlation-id"
# What an id may look like when a caller chooses it: it lands in logs, so nothing that could forge a log line.
_CALLER_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current() -> str | None:
    return _current.get()


def current_or_new() -> str:
    """The running work's id, or a fresh one for work that starts here (a schedule, a seed, a script)."""
    return _current.get() or uuid.uuid4().hex


def split(event: Any) -> tuple[Any, str | None]:
    """The event without its correlation id, and the id (None when the event carries none)."""
    if not isinstance(event, Mapping):
        return event, None
    if isinstance(event.get(KEY), str):  # a Step Functions task's payload
        return {k: v for k, v in event.items() if k != KEY}, event[KEY]
    detail = event.get("detail")
    if isinstance(detail, Mapping) and isinstance(detail.get(KEY), str):  # an EventBridge event
        return {**event, "detail": {k: v for k, v in detail.items() if k != KEY}}, detail[KEY]
    context = event.get("requestContext")
    if isinstance(context, Mapping) and isinstance(context.get("requestId"), str):  # an HTTP API request
        headers = event.get("headers") or {}
        chosen = next((str(v) for k, v in headers.items() if k.lower() == HEADER), "")
        return event, chosen if _CALLER_ID.fullmatch(chosen) else context["requestId"]
    return event, None


@contextmanager
def bound(correlation_id: str | None) -> Iterator[None]:
    token = _current.set(correlation_id)
    try:
        yield
    finally:
        _current.reset(token)


def stamped(detail: Mapping[str, Any]) -> dict[str, Any]:
    """An event detail carrying the running work's id (unchanged when no work is running)."""
    correlation_id = _current.get()
    return dict(detail) if correlation_id is None else {**detail, KEY: correlation_id}
