"""Back-in-stock subscriptions (public): a shopper leaves an email for an out-of-stock variant and gets one
email when it returns (sent by StockEmails)."""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request

from nozzly.api import build_app, http_handler
from nozzly.catalog.contracts.stock_alerts import BackInStockIn, BackInStockOut
from nozzly.gateway_context import source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import catalog

router = APIRouter(prefix="/stores/{store}", responses={s: {"model": ErrorResponse} for s in (404, 409, 429)})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ProductSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
VariantId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]


@router.post("/products/{product}/variants/{variant}/back-in-stock", response_model=BackInStockOut)
def subscribe(
    store: StoreId, product: ProductSlug, variant: VariantId, body: BackInStockIn, request: Request
) -> BackInStockOut:
    catalog.back_in_stock_signup().subscribe(store, product, variant, body.email, source_ip(request))
    return BackInStockOut(subscribed=True, email=body.email)


app = build_app("Nozzly back-in-stock subscriptions", [router])
handler = http_handler(app)
