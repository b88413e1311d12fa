"""Operators import a supplier's product as a draft: start an import (202 with its progress URL) and follow it.

The store comes from the path and the caller from the verified token; services.tenancy decides
(catalog.write to start, catalog.read to follow: staff and up).
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.imports.contracts.imports import ImportIn, ImportOut, import_out
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import imports

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/imports",
    tags=["imports"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ImportId = Annotated[str, Path(pattern=r"^imp_[0-9a-f]{20}$", description="The import's id.")]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.post(
    "",
    status_code=202,
    response_model=ImportOut,
    responses={400: {"model": ErrorResponse}, 429: {"model": ErrorResponse}},
)
def start_product_import(store: StoreId, body: ImportIn, request: Request, response: Response) -> ImportOut:
    """Import the supplier's product at `source_url` as a draft: AI copy, WebP images, a price by the store's
    rules. The same source again answers the same import (and product); a failed one is started again."""
    run = imports.import_requests().start(store, _me(request), body.source_url, body.category, body.language)
    out = import_out(run)
    response.headers["location"] = out.progress_url
    return out


@router.get("/{import_id}", response_model=ImportOut)
def get_product_import(store: StoreId, import_id: ImportId, request: Request) -> ImportOut:
    return import_out(imports.import_requests().get(store, _me(request), import_id))


app = build_app("Nozzly product imports", [router])
handler = http_handler(app)
