"""Back-in-stock subscriptions (public): a shopper leaves an email for an out-of-stock variant and gets one
email when it returns (sent by StockEmails)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Request

from nozzly.api import build_app, http_handler
from nozzly.catalog.contracts.stock_alerts import BackInStockIn, BackInStockOut
from nozzly.gateway_context import source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN

if TYPE_CHECKING:  # built on first use in _deps: adapters and services are not cold-start costs
    from nozzly.catalog.services.stock_emails import BackInStockSignup

router = APIRouter(prefix="/stores/{store}", responses={s: {"model": ErrorResponse} for s in (404, 409, 429)})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ProductSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]
VariantId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80)]


@cache
def _deps() -> BackInStockSignup:
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.catalog.adapters.stock_subscriptions import StockSubscriptions
    from nozzly.catalog.services.stock_emails import BackInStockSignup
    from nozzly.settings import get_settings

    s = get_settings()
    return BackInStockSignup(
        CatalogRepository(s.catalog_table), StockSubscriptions(s.customers_table), Throttle(s.identity_table)
    )


@router.post("/products/{product}/variants/{variant}/back-in-stock", response_model=BackInStockOut)
def subscribe(
    store: StoreId, product: ProductSlug, variant: VariantId, body: BackInStockIn, request: Request
) -> BackInStockOut:
    _deps().subscribe(store, product, variant, body.email, source_ip(request))
    return BackInStockOut(subscribed=True, email=body.email)


app = build_app("Nozzly back-in-stock subscriptions", [router])
handler = http_handler(app)
