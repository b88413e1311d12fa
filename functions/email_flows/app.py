"""Operators' automated email flows of one store: list, read (with each flow's counters), change (on/off, delay,
subject, intro) and a preview of the words with sample data; and the public redirect of the flows' tracked links
(`GET /r/{token}`), which counts their clicks.

The store comes from the path and the caller from the verified token; services.tenancy decides
(settings.manage: admins and the owner).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.marketing.contracts import email_flows as c
from nozzly.wiring import marketing

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/email-flows",
    tags=["email flows"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
FlowKey = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,40}$", description="The flow, e.g. abandoned_cart_1h.")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _no_store(response: Response) -> None:
    response.headers["cache-control"] = "no-store"  # settings change; a cached read would hide that


links = APIRouter(tags=["email flows"], responses={404: {"model": ErrorResponse}})
Token = Annotated[str, Path(max_length=120, description="The tracked link's token, from a flow's email.")]


@router.get("", response_model=c.FlowsOut)
def list_email_flows(store: StoreId, request: Request, response: Response) -> c.FlowsOut:
    found = marketing.email_flows().all(store, _me(request))
    _no_store(response)
    return c.FlowsOut(version=found.version, flows=[c.CountedFlowOut.of(f, found.counts[f.key]) for f in found.flows])


@router.get("/{flow}", response_model=c.OneCountedFlowOut)
def get_email_flow(store: StoreId, flow: FlowKey, request: Request, response: Response) -> c.OneCountedFlowOut:
    version, setting, counts = marketing.email_flows().get(store, _me(request), flow)
    _no_store(response)
    return c.OneCountedFlowOut(version=version, **c.CountedFlowOut.of(setting, counts).model_dump())


@router.patch("/{flow}", response_model=c.OneFlowOut)
def change_email_flow(
    store: StoreId, flow: FlowKey, body: c.FlowPatch, request: Request, response: Response
) -> c.OneFlowOut:
    version, setting = marketing.email_flows().change(store, _me(request), flow, body.version, body.changes())
    _no_store(response)
    return c.OneFlowOut(version=version, **c.FlowOut.of(setting).model_dump())


@router.post("/{flow}/preview", response_model=c.PreviewOut, responses={400: {"model": ErrorResponse}})
def preview_email_flow(store: StoreId, flow: FlowKey, body: c.PreviewIn, request: Request) -> c.PreviewOut:
    shown = marketing.email_flows().preview(store, _me(request), flow, body.draft())
    return c.PreviewOut(subject=shown.subject, intro=shown.intro, sample=shown.sample)


@links.get(
    "/r/{token}",
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "To where the email's link goes (stored with the link, never from the request)."}},
)
def follow_flow_link(token: Token) -> RedirectResponse:
    """A flow email's tracked link: its first click counts towards the flow's `clicked`, then the redirect."""
    target = marketing.flow_clicks().follow(token)
    return RedirectResponse(target, status_code=302, headers={"cache-control": "no-store"})


app = build_app("Nozzly email flows", [router, links])
handler = http_handler(app)
