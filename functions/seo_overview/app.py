"""GET /admin/stores/{store}/seo: the store's SEO report (catalog.read), as the nightly job last computed it."""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.seo.contracts.report import SeoReportOut, report_out
from nozzly.wiring import blog

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/seo", tags=["seo"], responses={s: {"model": ErrorResponse} for s in (401, 403, 404)}
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]


@router.get("", response_model=SeoReportOut)
def get_seo_overview(store: StoreId, request: Request) -> SeoReportOut:
    """Per product and post what is missing or weak, their scores, the store's score and the top five fixes.
    Two reads whatever the store's size (the membership and the stored report)."""
    caller = caller_from_claims(jwt_claims(request), OPERATORS).sub
    return report_out(blog.seo_overview().read(store, caller))


app = build_app("Nozzly SEO overview", [router])
handler = http_handler(app)
