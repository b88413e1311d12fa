"""Operators' product research of one store: a day's results with scores and the AI's reasoning, the
watchlist, the research settings, and bulk import of results as drafts.

The store comes from the path and the caller from the verified token; services.tenancy decides (the product
import's permissions: catalog.read to read, catalog.write to change or import; staff and up).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.research.contracts import research as c
from nozzly.wiring import research

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/research",
    tags=["research"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ResultId = Annotated[str, Path(pattern=c.RESULT_ID, description="A research result's id.")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _no_store(response: Response) -> None:
    response.headers["cache-control"] = "no-store"  # a run or another operator may change it any time


@router.get("/results", response_model=c.DayOut)
def get_research_results(
    store: StoreId,
    request: Request,
    response: Response,
    day: Annotated[str | None, Query(pattern=c.DAY, description="YYYY-MM-DD (UTC); absent: today.")] = None,
) -> c.DayOut:
    """One day's research, best first: each candidate's score, its points per factor and the AI's verdict."""
    wanted = day or datetime.now(UTC).date().isoformat()
    found = research.research_admin().day(store, _me(request), wanted)
    _no_store(response)
    return c.DayOut(
        day=found.day,
        run=c.RunOut.of(found.summary) if found.summary else None,
        results=[c.ResultOut.of(r) for r in found.results],
    )


@router.get("/watchlist", response_model=c.WatchlistOut)
def get_research_watchlist(store: StoreId, request: Request, response: Response) -> c.WatchlistOut:
    entries = research.research_admin().watchlist(store, _me(request))
    _no_store(response)
    return c.WatchlistOut(entries=[c.WatchOut.of(e) for e in entries])


@router.put("/watchlist/{result_id}", response_model=c.WatchOut, responses={400: {"model": ErrorResponse}})
def watch_research_result(store: StoreId, result_id: ResultId, body: c.WatchIn, request: Request) -> c.WatchOut:
    """Put a day's result on the watchlist; one already there is answered as it is."""
    entry = research.research_admin().watch(store, _me(request), body.day, result_id, body.notes)
    return c.WatchOut.of(entry)


@router.patch("/watchlist/{result_id}", response_model=c.WatchOut, responses={400: {"model": ErrorResponse}})
def note_research_result(store: StoreId, result_id: ResultId, body: c.NotesIn, request: Request) -> c.WatchOut:
    return c.WatchOut.of(research.research_admin().note(store, _me(request), result_id, body.notes))


@router.delete("/watchlist/{result_id}", status_code=204, response_class=Response)
def unwatch_research_result(store: StoreId, result_id: ResultId, request: Request) -> Response:
    research.research_admin().unwatch(store, _me(request), result_id)
    return Response(status_code=204)


@router.get("/settings", response_model=c.SettingsOut)
def get_research_settings(store: StoreId, request: Request, response: Response) -> c.SettingsOut:
    version, settings = research.research_admin().settings(store, _me(request))
    _no_store(response)
    return c.SettingsOut.of(version, settings)


@router.patch(
    "/settings", response_model=c.SettingsOut, responses={400: {"model": ErrorResponse}, 409: {"model": ErrorResponse}}
)
def change_research_settings(
    store: StoreId, body: c.SettingsPatch, request: Request, response: Response
) -> c.SettingsOut:
    """Change some of the settings, naming the version read (409 when another change came first)."""
    version, settings = research.research_admin().change_settings(store, _me(request), body.version, body.changes())
    _no_store(response)
    return c.SettingsOut.of(version, settings)


@router.post(
    "/imports",
    status_code=202,
    response_model=c.BulkImportOut,
    responses={400: {"model": ErrorResponse}, 429: {"model": ErrorResponse}},
)
def bulk_import_research_results(store: StoreId, body: c.BulkImportIn, request: Request) -> c.BulkImportOut:
    """Import research results as drafts: the product import's workflow for each, a few at a time."""
    done = research.bulk_imports().start(
        store, _me(request), body.day, body.result_ids, category=body.category, language=body.language
    )
    return c.BulkImportOut.of([(b.result_id, b.run) for b in done])


app = build_app("Nozzly product research", [router])
handler = http_handler(app)
