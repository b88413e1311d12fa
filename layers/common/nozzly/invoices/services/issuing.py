"""Issuing invoices and credit notes: from the bus (PaymentReceived, OrderRefunded) to a numbered, stored PDF.

Each is idempotent on what it is for: an order has one invoice and one credit note per refund, guarded in the
write that numbers it (invoices/adapters/invoices.py), so a redelivered event, a retried step or two deliveries at
once issue it once. Numbers come from the store's sequence in that same write: when two payments land at once one
transaction loses the sequence's condition and tries again with the next number, so none is skipped or repeated.
The PDF is rendered after the number is taken and stored once; a failure there leaves the document issued and the
redelivery renders it.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from nozzly.invoices.adapters.invoices import InvoicesRepository
from nozzly.invoices.adapters.pdf import render
from nozzly.invoices.adapters.pdf_store import PdfStore
from nozzly.invoices.domain.documents import DocumentKind, TaxDocument, number_text
from nozzly.invoices.domain.invoicing import credit_note_for, invoice_for
from nozzly.invoices.domain.seller import Issuer, issuer_from_settings
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.domain import branding_settings, general_settings

PAYMENT_RECEIVED = "PaymentReceived"
REFUNDED = "OrderRefunded"
# Every attempt but one per round loses to a concurrent issue of the same store, so a burst of N payments needs
# up to N rounds for its last one; the jittered pause spreads the rounds.
ATTEMPTS = 100


@dataclass(frozen=True)
class InvoiceIssuing:
    orders: OrdersRepository
    sections: SettingsSectionsRepository
    invoices: InvoicesRepository
    pdfs: PdfStore
    clock: Callable[[], float] = field(default=time.time)
    pause: Callable[[int], None] = field(
        default=lambda attempt: time.sleep(random.uniform(0, min(0.02 * attempt, 0.3)))
    )

    def on_event(self, event: Mapping[str, Any]) -> TaxDocument | None:
        """One bus event: a payment issues the order's invoice, a refund its credit note; anything else nothing."""
        detail = event.get("detail") or {}
        store_id, order_id = str(detail["store_id"]), str(detail["order_id"])
        if event.get("detail-type") == PAYMENT_RECEIVED:
            return self.invoice(store_id, order_id)
        if event.get("detail-type") == REFUNDED:
            refund = Money(int(detail["amount"]), str(detail["currency"]))
            return self.credit_note(store_id, order_id, str(detail["refund_id"]), refund)
        return None

    def _issuer(self, store_id: str) -> Issuer:
        general = self.sections.get(store_id, general_settings.SECTION)
        branding = self.sections.get(store_id, branding_settings.SECTION)
        colour = branding.data.get("brand_colour") if branding else None
        return issuer_from_settings(general.data if general else {}, store_id, colour)

    def invoice(self, store_id: str, order_id: str) -> TaxDocument:
        """The order's invoice, issued now if it has none (the order must be paid)."""
        issuer = self._issuer(store_id)
        found = self.invoices.for_order(store_id, order_id, DocumentKind.INVOICE.value)
        if found is None:
            order = self.orders.get(store_id, order_id)
            if order is None:
                raise NotFound(f"order {order_id!r} not found", field="order")
            if order.paid.amount == 0 and order.totals.total.amount > 0:
                raise Conflict("an order is invoiced once it is paid")
            number = general_settings.order_number_text(issuer.order_prefix, order.number)
            found = self._issue(invoice_for(order, issuer.issue(self.clock()), number), issuer.prefix)
        self._keep_pdf(found, issuer)
        return found

    def credit_note(self, store_id: str, order_id: str, refund_id: str, refund: Money) -> TaxDocument:
        """The credit note of one refund (issuing the order's invoice first if it had none yet)."""
        found = self.invoices.for_order(store_id, order_id, refund_id)
        issuer = self._issuer(store_id)
        if found is None:
            invoice = self.invoice(store_id, order_id)
            found = self._issue(credit_note_for(invoice, refund_id, refund, issuer.issue(self.clock())), issuer.prefix)
        self._keep_pdf(found, issuer)
        return found

    def _issue(self, draft: TaxDocument, prefix: str) -> TaxDocument:
        """Number the draft from the store's sequence and store it, once; the document issued before if any."""
        for attempt in range(ATTEMPTS):
            issued = self.invoices.for_order(draft.store_id, draft.order_id, draft.key)
            if issued is not None:
                return issued
            last = self.invoices.last_number(draft.store_id, draft.kind, draft.year)
            numbered = dataclasses.replace(
                draft, number=last + 1, number_text=number_text(prefix, draft.kind, draft.year, last + 1)
            )
            sequence, document, guard = self.invoices.issue_writes(numbered, last)
            try:
                Transaction().add("sequence", sequence).add("document", document).add("guard", guard).commit()
            except WriteConflict:
                self.pause(attempt)  # the guard taken: the next round returns it; the sequence moved: next number
                continue
            except ClientError as problem:  # a transaction in flight on the same items: transient
                if problem.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                self.pause(attempt)
                continue
            return numbered
        raise Conflict("too many documents are being issued at once; try again")

    def _keep_pdf(self, doc: TaxDocument, issuer: Issuer) -> None:
        if not self.pdfs.exists(doc):
            self.pdfs.keep(doc, render(doc, issuer.colour))
