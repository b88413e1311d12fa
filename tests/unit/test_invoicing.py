"""Invoices and credit notes from orders: lines with their rate and tax, totals per rate, refunds shared over rates."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nozzly.customers.domain.customers import Address
from nozzly.invoices.domain.documents import DocumentKind, number_text, parse_document_id
from nozzly.invoices.domain.exports import day_bounds, month_days
from nozzly.invoices.domain.invoicing import Issue, credit_note_for, invoice_for, refund_rates
from nozzly.invoices.domain.labels import label
from nozzly.invoices.domain.seller import issuer_from_settings
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.orders import Channel, Order, OrderStatus, PaymentState
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.checkout import CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.sales.domain.pricing import PricedLine, Totals, price
from nozzly.stores.domain.tax_rules import AppliedTax, TaxClass

pytestmark = pytest.mark.unit
NOW = 1_790_000_000.0
SELLER = issuer_from_settings(
    {"legal_name": "Forge GmbH", "legal_address": "Hauptstr. 1\n10115 Berlin", "tax_id": "DE123456789"}, "forge"
)
ISSUE = Issue(int(NOW), "2026-09-21", 2026, "en", SELLER.seller)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def order_of(lines: tuple[CheckoutLine, ...], totals: Totals, shipping: int = 0) -> Order:
    return Order(
        store_id="forge",
        order_id="a" * 32,
        number=1001,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.PAID,
        channel=Channel.WEB,
        email="sam@example.com",
        customer="sub-sam",
        lines=lines,
        shipping_address=Address("a1", "Sam Doe", "Hauptstrasse 1", "Berlin", "10115", "DE"),
        shipping=ShippingChoice("standard", "Standard", eur(shipping)),
        payment_method=PaymentMethod.STRIPE_PAYMENT_INTENT,
        payment=PaymentInfo(Provider.STRIPE, "pi_1"),
        coupon=None,
        totals=totals,
        created_at=int(NOW) - 60,
    )


def priced(units: list[int], tax: AppliedTax, shipping: int = 0, classes: list[str] | None = None) -> Order:
    lines = tuple(CheckoutLine(f"v{i}", f"p{i}", f"S-{i}", f"Item {i}", "", 1, eur(u)) for i, u in enumerate(units))
    paths = classes or ["general"] * len(units)
    totals = price(
        [PricedLine(eur(u), f"p{i}", (paths[i],)) for i, u in enumerate(units)],
        currency="EUR",
        tax=tax,
        now=NOW,
        shipping=eur(shipping),
    )
    return order_of(lines, totals, shipping)


def test_a_one_rate_order_shows_each_lines_rate_and_tax_adding_up_to_the_orders_tax() -> None:
    order = priced([1999, 2999, 333], AppliedTax.flat(1900), shipping=495)
    invoice = invoice_for(order, ISSUE, "1001")
    assert [x.basis_points for x in invoice.lines] == [1900, 1900, 1900, 1900]  # the shipping line too
    assert sum(x.tax.amount for x in invoice.lines if x.tax) == order.totals.tax.amount
    assert [(r.basis_points, r.net.amount, r.tax.amount) for r in invoice.rates] == [(1900, 5826, 1107)]
    assert invoice.total == order.totals.total == invoice.net_total + invoice.tax_total
    assert invoice.seller.tax_id == "DE123456789"
    assert invoice.buyer.address_lines == ("Hauptstrasse 1", "10115 Berlin", "DE")


def test_untaxed_shipping_is_a_zero_rate_and_its_line_carries_no_tax() -> None:
    tax = dataclasses.replace(AppliedTax.flat(2000), tax_shipping=False)
    invoice = invoice_for(priced([1000], tax, shipping=500), ISSUE, "1001")
    assert [(x.basis_points, x.tax.amount if x.tax else None) for x in invoice.lines] == [(2000, 200), (0, 0)]
    assert [(r.basis_points, r.net.amount, r.tax.amount) for r in invoice.rates] == [(2000, 1000, 200), (0, 500, 0)]
    assert invoice.total.amount == 1700


def test_two_rates_give_exact_totals_per_rate_and_no_guessed_line_rates() -> None:
    tax = AppliedTax(standard_bp=1900, reduced_bp=700, category_classes={"books": TaxClass.REDUCED})
    order = priced([1000, 2000], tax, classes=["general", "books"])
    invoice = invoice_for(order, ISSUE, "1001")
    assert [(r.basis_points, r.net.amount, r.tax.amount) for r in invoice.rates] == [
        (1900, 1000, 190),
        (700, 2000, 140),
    ]
    assert all(x.basis_points is None and x.tax is None for x in invoice.lines)
    assert invoice.tax_total.amount == 330


def test_a_partial_refunds_credit_note_totals_equal_the_refund_and_its_tax_per_rate_adds_up() -> None:
    tax = AppliedTax(standard_bp=1900, reduced_bp=700, category_classes={"books": TaxClass.REDUCED})
    invoice = dataclasses.replace(
        invoice_for(priced([1000, 2000], tax, classes=["general", "books"]), ISSUE, "1001"),
        number_text="INV-2026-00001",
    )
    note = credit_note_for(invoice, "re_1", eur(1001), ISSUE)
    assert note.kind is DocumentKind.CREDIT_NOTE and note.refers_to == "INV-2026-00001"
    assert note.total.amount == 1001
    assert sum(r.gross.amount for r in note.rates) == 1001
    assert note.net_total + note.tax_total == note.total
    assert [(r.basis_points, r.net.amount, r.tax.amount) for r in note.rates] == [
        (1900, 301, 57),
        (700, 601, 42),
    ]  # 358 and 643 of 1001


def test_a_full_refund_credits_exactly_what_was_invoiced_per_rate() -> None:
    invoice = invoice_for(priced([1999, 2999], AppliedTax.flat(2100), shipping=450), ISSUE, "1001")
    note = credit_note_for(invoice, "re_1", invoice.total, ISSUE)
    assert note.rates == invoice.rates


@given(
    st.lists(st.integers(1, 100_000), min_size=1, max_size=6),
    st.sampled_from([0, 700, 1900, 2100]),
    st.booleans(),
    st.integers(0, 100),
)
def test_any_refund_is_shared_without_losing_a_cent(units: list[int], bp: int, included: bool, pct: int) -> None:
    tax = dataclasses.replace(AppliedTax.flat(bp), prices_include_tax=included)
    invoice = invoice_for(priced(units, tax, shipping=399), ISSUE, "1")
    refund = eur(invoice.total.amount * pct // 100)
    rates = refund_rates(invoice.rates, refund)
    assert sum(r.gross.amount for r in rates) == refund.amount
    assert all(r.net.amount >= 0 and r.tax.amount >= 0 for r in rates)


def test_numbers_and_ids() -> None:
    assert number_text("INV-", DocumentKind.INVOICE, 2026, 7) == "INV-2026-00007"
    assert number_text("", DocumentKind.CREDIT_NOTE, 2026, 12) == "CN-2026-00012"
    assert parse_document_id("credit_note-2026-12") == (DocumentKind.CREDIT_NOTE, 2026, 12)
    with pytest.raises(NotFound):
        parse_document_id("invoice-26-x")


def test_labels_follow_the_stores_language_and_fall_back_to_english() -> None:
    assert label("de-AT", "invoice") == "Rechnung"
    assert label("ja", "invoice") == "Invoice"


def test_the_issue_date_and_year_are_the_stores_own() -> None:
    issuer = issuer_from_settings({"timezone": "Pacific/Auckland"}, "forge")
    issue = issuer.issue(1_798_761_600.0 - 3600)  # 2026-12-31 23:00 UTC is 2027-01-01 in Auckland
    assert (issue.year, issue.issue_date) == (2027, "2027-01-01")
    assert issuer.seller.name == "forge" and issuer.seller.tax_id is None


def test_an_export_month_is_its_days_in_the_stores_zone() -> None:
    assert month_days("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_days("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    first, last = day_bounds(*month_days("2026-12"), "Europe/Berlin")
    assert (first, last) == (1_796_079_600, 1_798_757_999)  # 2026-11-30T23:00Z .. 2026-12-31T22:59:59Z
    for bad in ("2026-13", "2026-00", "26-12", "1999-01", "2026-1"):
        with pytest.raises(InvalidInput):
            month_days(bad)
