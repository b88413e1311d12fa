"""Reading issued documents: operators list and download a store's (invoices.read), shoppers their own order's.

A non-member learns nothing about a store (services.tenancy answers 404); a shopper asking for another shopper's
order, or one not invoiced yet, gets 404 too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from nozzly.invoices.adapters.invoices import InvoicesRepository
from nozzly.invoices.adapters.pdf_store import PdfStore
from nozzly.invoices.domain.documents import DocumentKind, Page, TaxDocument, parse_document_id
from nozzly.invoices.domain.exports import day_bounds
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain import general_settings
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

MAX_RANGE_DAYS = 366


@dataclass(frozen=True, slots=True)
class Download:
    document: TaxDocument
    url: str


@dataclass(frozen=True)
class InvoiceReading:
    members: MembersRepository
    orders: OrdersRepository
    sections: SettingsSectionsRepository
    invoices: InvoicesRepository
    pdfs: PdfStore
    clock: Callable[[], float] = field(default=time.time)

    def _zone(self, store_id: str) -> str:
        general = self.sections.get(store_id, general_settings.SECTION)
        return str(general.data.get("timezone") or "UTC") if general else "UTC"

    def issued(
        self, store_id: str, caller: str, start: date | None, end: date | None, *, limit: int, cursor: str | None
    ) -> Page:
        """Invoices and credit notes issued from `start` to `end` (the store's calendar days, both included);
        without them, from the first of the store's current month to its today."""
        require(self.members, store_id, caller, Action.INVOICES_READ)
        zone = self._zone(store_id)
        today = datetime.fromtimestamp(self.clock(), ZoneInfo(zone)).date()
        end = end or today
        start = start or end.replace(day=1)
        if end < start:
            raise InvalidInput("`to` is before `from`", field="to")
        if (end - start).days >= MAX_RANGE_DAYS:
            raise InvalidInput(f"at most {MAX_RANGE_DAYS} days at once", field="to")
        first, last = day_bounds(start, end, zone)
        return self.invoices.issued_between(store_id, first, last, limit=limit, cursor=cursor)

    def get(self, store_id: str, caller: str, document_id: str) -> Download:
        require(self.members, store_id, caller, Action.INVOICES_READ)
        kind, year, number = parse_document_id(document_id)
        found = self.invoices.get(store_id, kind, year, number)
        if found is None:
            raise NotFound("no such invoice or credit note", field="document")
        return Download(found, self.pdfs.download_url(found))

    def shoppers_invoice(self, store_id: str, shopper: str, order_id: str) -> Download:
        """The invoice of one of the shopper's own orders."""
        order = self.orders.get(store_id, order_id)
        if order is None or order.customer != shopper:
            raise NotFound(f"order {order_id!r} not found", field="order")
        found = self.invoices.for_order(store_id, order_id, DocumentKind.INVOICE.value)
        if found is None:
            raise NotFound("this order has no invoice yet: it is issued once the order is paid", field="order")
        return Download(found, self.pdfs.download_url(found))
