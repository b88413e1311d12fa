"""Invoices and credit notes: operators list a store's by issue date, download one or a month as a ZIP (built in
the background; invoices.read); a shopper downloads the invoice of one of their own orders (ShopperJwt).

Downloads answer the document with a presigned link to its PDF, valid for a few minutes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.invoices.contracts import documents as c
from nozzly.invoices.domain.exports import EXPORT_ID
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.wiring import invoices

errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (400, 401, 403, 404)}
operators = APIRouter(prefix="/admin/stores/{store}/invoices", tags=["invoices"], responses=errors)
shoppers = APIRouter(prefix="/stores/{store}/me/orders", tags=["invoices"], responses=errors)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
OrderId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=64, description="The order's id.")]
ExportId = Annotated[str, Path(pattern=EXPORT_ID.pattern, description="The export's id.")]
DocumentId = Annotated[
    str,
    Path(max_length=40, description="`invoice-{year}-{n}` or `credit_note-{year}-{n}`.", examples=["invoice-2026-7"]),
]


@operators.get("", response_model=c.InvoiceDocumentPage)
def list_invoices(
    store: StoreId,
    request: Request,
    *,
    start: Annotated[
        date | None,
        Query(alias="from", description="First day (the store's calendar); default: the 1st of `to`'s month."),
    ] = None,
    end: Annotated[
        date | None, Query(alias="to", description="Last day, included, at most 366 days after `from`; default: today.")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> c.InvoiceDocumentPage:
    """Invoices and credit notes issued in the date range, oldest first."""
    sub = caller_from_claims(jwt_claims(request), Realm()).sub
    return c.page_out(invoices.reading().issued(store, sub, start, end, limit=limit, cursor=cursor))


@operators.post("/exports", status_code=202, response_model=c.ExportOut)
def export_month(store: StoreId, body: c.ExportIn, request: Request, response: Response) -> c.ExportOut:
    """A month's invoices and credit notes as one ZIP (PDFs and index.csv), built in the background: poll the
    export's `location` until `state` is done, then follow its `download_url`."""
    export = invoices.exports().request(store, caller_from_claims(jwt_claims(request), Realm()).sub, body.month)
    response.headers["location"] = f"/admin/stores/{store}/invoices/exports/{export.export_id}"
    return c.export_out(export, None)


@operators.get("/exports/{export}", response_model=c.ExportOut)
def get_export(store: StoreId, export: ExportId, request: Request) -> c.ExportOut:
    """An export's progress (`done` of `total` documents) and, once done, its ZIP."""
    found = invoices.exports().view(store, caller_from_claims(jwt_claims(request), Realm()).sub, export)
    return c.export_out(found.export, found.download_url)


@operators.get("/{document}", response_model=c.InvoiceDownloadOut)
def get_invoice(store: StoreId, document: DocumentId, request: Request) -> c.InvoiceDownloadOut:
    """One invoice or credit note with a link to its PDF."""
    found = invoices.reading().get(store, caller_from_claims(jwt_claims(request), Realm()).sub, document)
    return c.download_out(found.document, found.url)


@shoppers.get("/{order}/invoice", response_model=c.InvoiceDownloadOut)
def get_my_invoice(store: StoreId, order: OrderId, request: Request) -> c.InvoiceDownloadOut:
    """The invoice of one of the shopper's orders, with a link to its PDF; 404 until the order is paid."""
    shopper = caller_from_claims(jwt_claims(request), Realm(store_id=store)).sub
    found = invoices.reading().shoppers_invoice(store, shopper, order)
    return c.download_out(found.document, found.url)


app = build_app("Nozzly invoices", [operators, shoppers])
handler = http_handler(app)
