"""Invoices and credit notes: issuing them from the bus, reading them for operators and shoppers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.invoices.services.exports import InvoiceExports
    from nozzly.invoices.services.issuing import InvoiceIssuing
    from nozzly.invoices.services.reading import InvoiceReading
    from nozzly.settings import InvoiceSettings


def _settings() -> InvoiceSettings:
    from nozzly.settings import InvoiceSettings, load

    return load(InvoiceSettings)


@factory
def issuing() -> InvoiceIssuing:
    from nozzly.invoices.adapters.invoices import InvoicesRepository
    from nozzly.invoices.adapters.pdf_store import PdfStore
    from nozzly.invoices.services.issuing import InvoiceIssuing
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository

    s = _settings()
    return InvoiceIssuing(
        orders=OrdersRepository(s.orders_table),
        sections=SettingsSectionsRepository(s.stores_table),
        invoices=InvoicesRepository(s.invoices_table),
        pdfs=PdfStore(s.images_bucket),
    )


@factory
def reading() -> InvoiceReading:
    from nozzly.invoices.adapters.invoices import InvoicesRepository
    from nozzly.invoices.adapters.pdf_store import PdfStore
    from nozzly.invoices.services.reading import InvoiceReading
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
    from nozzly.stores.adapters.store_members import MembersRepository

    s = _settings()
    return InvoiceReading(
        members=MembersRepository(s.stores_table),
        orders=OrdersRepository(s.orders_table),
        sections=SettingsSectionsRepository(s.stores_table),
        invoices=InvoicesRepository(s.invoices_table),
        pdfs=PdfStore(s.images_bucket),
    )


@factory
def exports() -> InvoiceExports:
    from nozzly.invoices.adapters.exports import ExportQueue, ExportsRepository
    from nozzly.invoices.adapters.invoices import InvoicesRepository
    from nozzly.invoices.adapters.pdf_store import ExportStore, PdfStore
    from nozzly.invoices.services.exports import InvoiceExports
    from nozzly.settings import InvoiceExportSettings, load
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
    from nozzly.stores.adapters.store_members import MembersRepository

    s = load(InvoiceExportSettings)
    return InvoiceExports(
        members=MembersRepository(s.stores_table),
        sections=SettingsSectionsRepository(s.stores_table),
        invoices=InvoicesRepository(s.invoices_table),
        exports=ExportsRepository(s.invoices_table),
        queue=ExportQueue(s.invoice_export_queue_url),
        pdfs=PdfStore(s.images_bucket),
        zips=ExportStore(s.images_bucket),
    )
