"""Operators' dashboard and reports (OperatorJwt): how the store is doing, read from the daily aggregates.

The dashboard needs orders.read (its revenue, top sellers and chart also reports.read); reports need
reports.read. Reports answer CSV when asked with `Accept: text/csv`. analytics/services decide and read.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.analytics.contracts import reports as r
from nozzly.analytics.contracts.dashboard import DashboardOut
from nozzly.analytics.domain.sales_figures import Granularity, ProductSort
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import analytics

OPERATORS = Realm()
router = APIRouter(
    generate_unique_id_function=operation_ids("admin"),
    prefix="/admin/stores/{store}",
    tags=["dashboard"],
    responses={s: {"model": ErrorResponse} for s in (400, 401, 403, 404)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
From = Annotated[date | None, Query(alias="from", description="First day (store-local, YYYY-MM-DD).")]
To = Annotated[date | None, Query(alias="to", description="Last day, included; today if left out.")]
Preset = Annotated[
    Literal["7d", "30d", "90d"] | None, Query(alias="range", description="The last 7, 30 or 90 days, today included.")
]
CSV_BODY: dict[int | str, dict[str, Any]] = {
    200: {"content": {r.CSV: {"schema": {"type": "string", "description": "RFC 4180 CSV with a header row."}}}}
}


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _wants_csv(request: Request) -> bool:
    return r.CSV in request.headers.get("accept", "")


@router.get("/dashboard", response_model=DashboardOut)
def dashboard(store: StoreId, request: Request) -> DashboardOut:
    """Today / this week / this month against the previous equal stretch, the order pipeline, what needs
    attention, top sellers, customers, recent activity and a 30-day chart. Its cost does not grow with the
    number of orders (README "Dashboard")."""
    return DashboardOut.of(analytics.dashboard().read(store, _me(request)))


@router.get("/reports/sales", response_model=r.SalesReportOut, responses=CSV_BODY)
def sales_report(
    store: StoreId,
    request: Request,
    *,
    first: From = None,
    last: To = None,
    preset: Preset = None,
    granularity: Granularity = Granularity.DAY,
) -> Any:
    """Sales per day, week or month over up to two years of store-local days (default: the last 30)."""
    found = analytics.sales_reports().sales(
        store, _me(request), first=first, last=last, preset=preset, granularity=granularity
    )
    if _wants_csv(request):
        return Response(r.sales_csv(found), media_type=r.CSV)
    return r.SalesReportOut.of(found)


@router.get("/reports/products", response_model=r.ProductReportOut, responses=CSV_BODY)
def products_report(
    store: StoreId,
    request: Request,
    *,
    first: From = None,
    last: To = None,
    preset: Preset = None,
    sort: ProductSort = ProductSort.REVENUE,
) -> Any:
    """Every product sold in the range with its units and revenue (per variant too), best first."""
    found = analytics.sales_reports().products(store, _me(request), first=first, last=last, preset=preset, sort=sort)
    if _wants_csv(request):
        return Response(r.products_csv(found), media_type=r.CSV)
    return r.ProductReportOut.of(found)


app = build_app("Nozzly dashboard and reports", [router])
handler = http_handler(app)
