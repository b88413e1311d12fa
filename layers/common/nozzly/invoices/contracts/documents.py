"""Invoices and credit notes on the wire: what operators list and read, and what a shopper downloads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.invoices.domain.documents import Page, Party, TaxDocument, document_id
from nozzly.invoices.domain.exports import Export
from nozzly.kernel.contracts.money import MoneyOut


class InvoicePartyOut(BaseModel):
    name: str
    address_lines: list[str]
    tax_id: str | None = Field(description="The seller's VAT or tax number; null when none is set.")
    email: str | None

    @classmethod
    def of(cls, party: Party) -> InvoicePartyOut:
        return cls(name=party.name, address_lines=list(party.address_lines), tax_id=party.tax_id, email=party.email)


class InvoiceLineOut(BaseModel):
    description: str
    quantity: int
    unit_price: MoneyOut
    amount: MoneyOut = Field(description="The line after its share of any discount (gross if prices include tax).")
    tax_rate_basis_points: int | None = Field(description="1900 is 19%; null when the order did not record it.")
    tax: MoneyOut | None


class InvoiceRateOut(BaseModel):
    tax_rate_basis_points: int
    net: MoneyOut
    tax: MoneyOut
    gross: MoneyOut


class InvoiceDocumentOut(BaseModel):
    id: str = Field(description="The document's id in URLs.", examples=["invoice-2026-7"])
    kind: Literal["invoice", "credit_note"]
    number: str = Field(description="As printed: prefix, year, sequence.", examples=["INV-2026-00007"])
    sequence: int = Field(description="The number in the store's gap-free sequence of this kind and year.")
    year: int
    order_id: str
    order_number: str
    issued_at: int = Field(description="Epoch seconds.")
    issue_date: str = Field(description="ISO date in the store's time zone.")
    currency: str
    seller: InvoicePartyOut
    buyer: InvoicePartyOut
    payment_method: str
    lines: list[InvoiceLineOut]
    taxes: list[InvoiceRateOut] = Field(description="Per tax rate, highest first; 0 is what no rate taxed.")
    net_total: MoneyOut
    tax_total: MoneyOut
    total: MoneyOut = Field(description="What was paid (invoice) or given back (credit note).")
    prices_include_tax: bool
    refers_to: str | None = Field(description="A credit note: the number of the invoice it corrects.")
    refund_id: str | None


class InvoiceDocumentPage(BaseModel):
    items: list[InvoiceDocumentOut]
    next_cursor: str | None = Field(description="Send it back as `cursor` for the next page; null: no more.")


class InvoiceDownloadOut(InvoiceDocumentOut):
    download_url: str = Field(description="The PDF, for a few minutes (a presigned link).")


def document_out(doc: TaxDocument) -> InvoiceDocumentOut:
    return InvoiceDocumentOut.model_validate(_fields(doc))


def download_out(doc: TaxDocument, url: str) -> InvoiceDownloadOut:
    return InvoiceDownloadOut.model_validate(_fields(doc) | {"download_url": url})


def page_out(page: Page) -> InvoiceDocumentPage:
    return InvoiceDocumentPage(items=[document_out(d) for d in page.documents], next_cursor=page.next_cursor)


def _fields(doc: TaxDocument) -> dict[str, object]:
    return {
        "id": document_id(doc),
        "kind": doc.kind.value,
        "number": doc.number_text,
        "sequence": doc.number,
        "year": doc.year,
        "order_id": doc.order_id,
        "order_number": doc.order_number,
        "issued_at": doc.issued_at,
        "issue_date": doc.issue_date,
        "currency": doc.currency,
        "seller": InvoicePartyOut.of(doc.seller),
        "buyer": InvoicePartyOut.of(doc.buyer),
        "payment_method": doc.payment_method,
        "lines": [
            InvoiceLineOut(
                description=x.description,
                quantity=x.quantity,
                unit_price=MoneyOut.of(x.unit_price),
                amount=MoneyOut.of(x.amount),
                tax_rate_basis_points=x.basis_points,
                tax=MoneyOut.of(x.tax) if x.tax is not None else None,
            )
            for x in doc.lines
        ],
        "taxes": [
            InvoiceRateOut(
                tax_rate_basis_points=r.basis_points,
                net=MoneyOut.of(r.net),
                tax=MoneyOut.of(r.tax),
                gross=MoneyOut.of(r.gross),
            )
            for r in doc.rates
        ],
        "net_total": MoneyOut.of(doc.net_total),
        "tax_total": MoneyOut.of(doc.tax_total),
        "total": MoneyOut.of(doc.total),
        "prices_include_tax": doc.prices_include_tax,
        "refers_to": doc.refers_to,
        "refund_id": doc.refund_id,
    }


class ExportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: str = Field(
        min_length=7, max_length=7, description="The month, in the store's calendar.", examples=["2026-12"]
    )


class ExportOut(BaseModel):
    id: str = Field(examples=["exp_0123456789abcdef"])
    month: str
    state: Literal["queued", "running", "done", "failed"]
    total: int = Field(description="Documents in the month (0 until the export runs).")
    done: int = Field(description="Documents packed so far: progress is done / total.")
    requested_at: int = Field(description="Epoch seconds.")
    error: str | None
    download_url: str | None = Field(description="The ZIP (PDFs and index.csv) once done, for a few minutes.")


def export_out(export: Export, url: str | None) -> ExportOut:
    return ExportOut(
        id=export.export_id,
        month=export.month,
        state=export.state.value,
        total=export.total,
        done=export.done,
        requested_at=export.requested_at,
        error=export.error,
        download_url=url,
    )
