"""A month of invoices and credit notes as one ZIP: asked for by an operator (invoices.read), built by
InvoiceExporter from the queue with its progress recorded as it goes.

The ZIP is written to the function's /tmp and uploaded once complete; a redelivered message rebuilds it (the
documents are immutable, so it comes out the same) unless the export is already done.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.invoices.adapters.exports import ExportQueue, ExportsRepository
from nozzly.invoices.adapters.invoices import InvoicesRepository
from nozzly.invoices.adapters.pdf import render
from nozzly.invoices.adapters.pdf_store import ExportStore, PdfStore
from nozzly.invoices.domain.documents import TaxDocument
from nozzly.invoices.domain.exports import (
    INDEX_HEADER,
    Export,
    ExportState,
    day_bounds,
    index_row,
    month_days,
    new_export_id,
)
from nozzly.kernel.domain.errors import NotFound
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain import branding_settings, general_settings
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

PROGRESS_EVERY = 10  # documents packed between two progress writes
PAGE = 100


@dataclass(frozen=True, slots=True)
class ExportView:
    export: Export
    download_url: str | None


@dataclass(frozen=True)
class InvoiceExports:
    members: MembersRepository
    sections: SettingsSectionsRepository
    invoices: InvoicesRepository
    exports: ExportsRepository
    queue: ExportQueue
    pdfs: PdfStore
    zips: ExportStore
    clock: Callable[[], float] = field(default=time.time)

    def request(self, store_id: str, caller: str, month: str) -> Export:
        require(self.members, store_id, caller, Action.INVOICES_READ)
        month_days(month)
        export = Export(store_id, new_export_id(), month, ExportState.QUEUED, caller, int(self.clock()))
        self.exports.create(export)
        self.queue.enqueue(store_id, export.export_id)
        return export

    def view(self, store_id: str, caller: str, export_id: str) -> ExportView:
        require(self.members, store_id, caller, Action.INVOICES_READ)
        found = self.exports.get(store_id, export_id)
        if found is None:
            raise NotFound("no such export", field="export")
        done = found.state is ExportState.DONE
        return ExportView(found, self.zips.download_url(store_id, export_id) if done else None)

    def run(self, store_id: str, export_id: str) -> Export | None:
        """Build the export's ZIP; None for an export that does not exist (a stale message)."""
        export = self.exports.get(store_id, export_id)
        if export is None or export.state is ExportState.DONE:
            return export
        general = self.sections.get(store_id, general_settings.SECTION)
        zone = str(general.data.get("timezone") or "UTC") if general else "UTC"
        first, last = day_bounds(*month_days(export.month), zone)
        documents = self._issued(store_id, first, last)
        self.exports.progress(store_id, export_id, ExportState.RUNNING, total=len(documents), done=0)
        branding = self.sections.get(store_id, branding_settings.SECTION)
        colour = branding.data.get("brand_colour") if branding else None
        with tempfile.NamedTemporaryFile(suffix=".zip") as out:
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                index = io.StringIO()
                rows = csv.writer(index)
                rows.writerow(INDEX_HEADER)
                for done, doc in enumerate(documents, start=1):
                    archive.writestr(f"{doc.kind.value}s/{doc.pdf_name}", self._pdf(doc, colour))
                    rows.writerow(index_row(doc))
                    if done % PROGRESS_EVERY == 0:
                        self.exports.progress(store_id, export_id, ExportState.RUNNING, total=len(documents), done=done)
                archive.writestr("index.csv", index.getvalue())
            out.flush()
            self.zips.keep(store_id, export_id, out.name, export.month)
        self.exports.progress(store_id, export_id, ExportState.DONE, total=len(documents), done=len(documents))
        return self.exports.get(store_id, export_id)

    def _issued(self, store_id: str, first: int, last: int) -> list[TaxDocument]:
        found: list[TaxDocument] = []
        cursor: str | None = None
        while True:
            page = self.invoices.issued_between(store_id, first, last, limit=PAGE, cursor=cursor)
            found += page.documents
            cursor = page.next_cursor
            if cursor is None:
                return found

    def _pdf(self, doc: TaxDocument, colour: str | None) -> bytes:
        """The stored PDF; one that never got stored (its issuing failed after the number) is stored now."""
        if not self.pdfs.exists(doc):
            self.pdfs.keep(doc, render(doc, colour))
        return self.pdfs.read(doc)

    def failed(self, store_id: str, export_id: str, reason: str) -> None:
        self.exports.progress(store_id, export_id, ExportState.FAILED, total=0, done=0, error=reason)
