"""Storefront analytics events (public): a browser reports page and product views, searches, adds to cart and
checkouts started, up to 25 at a time. Answers 202 with how many were counted; robots' events are dropped."""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Header, Path, Request, status

from nozzly.analytics.contracts.storefront_events import EventsAccepted, EventsIn
from nozzly.analytics.services.storefront_events import Caller
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import bearer_token, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import analytics

router = APIRouter(
    prefix="/stores/{store}",
    tags=["storefront events"],
    responses={s: {"model": ErrorResponse} for s in (404, 409, 429)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
SessionHeader = Annotated[
    str | None,
    Header(
        alias="x-session-id",
        max_length=64,
        description="The guest session id (POST /stores/{store}/sessions), if the shopper has one.",
    ),
]


@router.post("/events", response_model=EventsAccepted, status_code=status.HTTP_202_ACCEPTED)
def record_events(store: StoreId, body: EventsIn, request: Request, session: SessionHeader = None) -> EventsAccepted:
    """A batch of storefront events, counted on the store's local day by the server's clock (`at` is ignored).
    The visitor is the shopper (bearer token), else the guest session, else the address and browser."""
    caller = Caller(
        ip=source_ip(request),
        user_agent=request.headers.get("user-agent"),
        session=session or None,
        token=bearer_token(request),
    )
    recorded = analytics.storefront_events().record(store, body.to_domain(), caller)
    return EventsAccepted(accepted=recorded.accepted, dropped=recorded.dropped)


app = build_app("Nozzly storefront events", [router])
handler = http_handler(app)
