"""GET /health, /health/live, /health/ready."""

from __future__ import annotations

import nozzly.boot  # noqa: F401

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from nozzly.api import build_app, http_handler

router = APIRouter()


class Check(BaseModel):
    status: str
    detail: str


class HealthOut(BaseModel):
    status: str
    checks: dict[str, Check] = {}
    failed: list[str] = []


@router.get("/health", response_model=HealthOut, operation_id="health")
@router.get("/health/live", response_model=HealthOut)
def live() -> HealthOut:
    """The function answers: nothing else is checked."""
    return HealthOut(status="ok")


@router.get("/health/ready", response_model=HealthOut, responses={503: {"model": HealthOut}})
def ready() -> JSONResponse:
    """Every table and the images bucket are reachable; 503 names each failed check."""
    from nozzly.settings import HealthSettings, load
    from nozzly.wiring import health

    s = load(HealthSettings)
    results = health.readiness().run(
        tables={
            "StoresTable": s.stores_table,
            "CatalogTable": s.catalog_table,
            "CartsTable": s.carts_table,
            "OrdersTable": s.orders_table,
            "IdentityTable": s.identity_table,
            "CustomersTable": s.customers_table,
            "AnalyticsTable": s.analytics_table,
            "SearchIndexTable": s.search_table,
            "IdempotencyTable": s.idempotency_table,
            "NotificationsTable": s.notifications_table,
            "ConnectionsTable": s.connections_table,
            "WebhooksTable": s.webhooks_table,
            "InvoicesTable": s.invoices_table,
            "ContentTable": s.content_table,
            "ResearchTable": s.research_table,
        },
        buckets={"ImagesBucket": s.images_bucket},
    )
    failed = [r.name for r in results if not r.ok]
    body = HealthOut(
        status="fail" if failed else "ok",
        checks={r.name: Check(status="ok" if r.ok else "fail", detail=r.detail) for r in results},
        failed=failed,
    )
    return JSONResponse(status_code=503 if failed else 200, content=body.model_dump())


app = build_app("Nozzly health", [router])
handler = http_handler(app)
