"""Invoices and credit notes as value types: what a tax document says, whatever renders or stores it. Pure.

A document is issued once and never changed: a correction is a credit note (and a new invoice), never an edit.
Its number comes from the store's gap-free sequence of its kind and year (invoices/adapters/invoices.py takes the
next one in the same write that stores the document), so `number` is only known once it is issued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from nozzly.kernel.domain.errors import NotFound
from nozzly.kernel.domain.money import Money


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


# What a credit note's number carries between the store's prefix and the year, so the two sequences never read
# alike ("INV-2026-00007" and "INV-CN-2026-00007").
_KIND_MARK = {DocumentKind.INVOICE: "", DocumentKind.CREDIT_NOTE: "CN-"}


def number_text(prefix: str, kind: DocumentKind, year: int, number: int) -> str:
    """How people read a document's number: the store's invoice prefix, the kind, the year, five digits."""
    return f"{prefix}{_KIND_MARK[kind]}{year}-{number:05d}"


@dataclass(frozen=True, slots=True)
class Party:
    """Seller or buyer as the document names them."""

    name: str
    address_lines: tuple[str, ...]
    tax_id: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One line: `amount` is what the line comes to (after its share of any discount, before tax when prices are
    net, including it when they are gross); `tax` is the tax in or on it at `basis_points`."""

    description: str
    quantity: int
    unit_price: Money
    amount: Money
    basis_points: int | None  # None: the order did not record which rate this line was taxed at
    tax: Money | None


@dataclass(frozen=True, slots=True)
class RateTotal:
    """Everything taxed at one rate: net amount, tax and both together."""

    basis_points: int
    net: Money
    tax: Money

    @property
    def gross(self) -> Money:
        return self.net + self.tax


@dataclass(frozen=True, slots=True)
class TaxDocument:
    """An invoice or a credit note, exactly as issued."""

    kind: DocumentKind
    store_id: str
    order_id: str
    key: str  # what makes it unique within its order: "invoice", or the refund's id for a credit note
    year: int
    number: int
    number_text: str
    issued_at: int  # epoch seconds
    issue_date: str  # ISO date in the store's time zone
    language: str
    currency: str
    seller: Party
    buyer: Party
    order_number: str
    payment_method: str
    lines: tuple[DocumentLine, ...]
    rates: tuple[RateTotal, ...]  # highest rate first; an untaxed remainder is a 0 rate
    net_total: Money
    tax_total: Money
    total: Money  # what was paid (an invoice) or given back (a credit note)
    prices_include_tax: bool
    refers_to: str | None = None  # a credit note: the number of the invoice it corrects
    refund_id: str | None = None

    @property
    def pdf_name(self) -> str:
        return f"{self.number_text}.pdf"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing; `next_cursor` None: nothing more."""

    documents: list[TaxDocument]
    next_cursor: str | None


_ID = re.compile(r"^(invoice|credit_note)-(\d{4})-(\d{1,9})$")


def document_id(doc: TaxDocument) -> str:
    """A document's id in URLs: kind, year and number ("invoice-2026-7"); stable whatever the prefix becomes."""
    return f"{doc.kind.value}-{doc.year}-{doc.number}"


def parse_document_id(text: str) -> tuple[DocumentKind, int, int]:
    """(kind, year, number) of an id, or NotFound: an id that cannot exist names no document."""
    found = _ID.match(text)
    if found is None:
        raise NotFound("no such invoice or credit note", field="document")
    return DocumentKind(found[1]), int(found[2]), int(found[3])
