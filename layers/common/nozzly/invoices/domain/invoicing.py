"""The rules of what an invoice and a credit note say, from the order as placed. Pure.

Tax is what the order recorded when it was priced (sales/domain/tax.py): its portions per rate are the invoice's
totals per rate, exactly, never recomputed. An order does not record which rate each line had, so a line shows its
rate and tax when the order had one rate of goods (the usual case: each line's tax is that rate's tax shared over
the lines by amount, to the minor unit); with several rates only the totals per rate are shown.

A refund is shared over the invoice's rates in proportion to what each rate came to (largest remainders first),
then each share into net and tax in the rate's own proportion, so a credit note's totals equal the refund and its
tax per rate adds up to its tax total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nozzly.invoices.domain.documents import DocumentKind, DocumentLine, Party, RateTotal, TaxDocument
from nozzly.invoices.domain.labels import label
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.orders import Order


@dataclass(frozen=True, slots=True)
class Issue:
    """When, in which language and under which numbering a document is issued (the number comes later)."""

    issued_at: int
    issue_date: str
    year: int
    language: str
    seller: Party


def _sum(amounts: Sequence[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total += amount
    return total


def invoice_rates(order: Order) -> tuple[RateTotal, ...]:
    """The order's tax per rate, plus what no rate taxed (untaxed shipping, say) as a 0 rate."""
    currency = order.currency
    rates = [RateTotal(p.basis_points, p.net, p.tax) for p in order.totals.taxes if (p.net + p.tax).amount]
    untaxed = order.totals.total - _sum([r.gross for r in rates], currency)
    if untaxed.amount > 0:
        rates.append(RateTotal(0, untaxed, Money.zero(currency)))
    return tuple(rates)


def _shared(amount: Money, weights: list[int]) -> list[Money]:
    if amount.amount == 0 or sum(weights) <= 0 or any(w < 0 for w in weights):
        return [Money.zero(amount.currency) for _ in weights]
    return amount.allocate(weights)


def _line_rates(order: Order, goods: Money, shipping: Money) -> tuple[int | None, int | None]:
    """(goods' rate, shipping's rate) when one rate taxed all goods; (None, None) when the order cannot tell."""
    taxed = [p for p in order.totals.taxes if (p.net + p.tax).amount]
    if len(taxed) != 1:
        return None, None
    only = taxed[0]
    base = (only.net + only.tax) if order.totals.tax_included else only.net
    if base == goods + shipping:
        return only.basis_points, only.basis_points if shipping.amount else None
    if base == goods:
        return only.basis_points, 0
    return None, None


def invoice_lines(order: Order, language: str) -> tuple[DocumentLine, ...]:
    currency = order.currency
    discounts = _shared(order.totals.discount, [line.total.amount for line in order.lines])
    amounts = [line.total - off for line, off in zip(order.lines, discounts, strict=True)]
    shipping = order.totals.shipping
    goods_rate, shipping_rate = _line_rates(order, _sum(amounts, currency), shipping)
    described = [
        (f"{line.title} ({line.variant_title})" if line.variant_title else line.title, line.quantity, line.unit_price)
        for line in order.lines
    ]
    rates: list[int | None] = [goods_rate] * len(amounts)
    if shipping.amount:
        described.append((f"{label(language, 'shipping')}: {order.shipping.name}", 1, shipping))
        amounts.append(shipping)
        rates.append(shipping_rate)
    taxes: list[Money | None] = [None] * len(amounts)
    if goods_rate is not None:
        taxed = [i for i, rate in enumerate(rates) if rate]
        shares = _shared(order.totals.tax, [amounts[i].amount for i in taxed])
        taxes = [Money.zero(currency) for _ in amounts]
        for i, share in zip(taxed, shares, strict=True):
            taxes[i] = share
    return tuple(
        DocumentLine(text, quantity, unit, amount, rate, tax)
        for (text, quantity, unit), amount, rate, tax in zip(described, amounts, rates, taxes, strict=True)
    )


def buyer_of(order: Order) -> Party:
    address = order.billing_address or order.shipping_address
    lines = [address.line1, address.line2, f"{address.postal_code} {address.city}", address.region, address.country]
    return Party(address.name, tuple(x for x in lines if x), email=order.email)


def invoice_for(order: Order, issue: Issue, order_number: str) -> TaxDocument:
    """The invoice of a paid order, numbered 0 until issued (documents.number_text once it is)."""
    rates = invoice_rates(order)
    currency = order.currency
    return TaxDocument(
        kind=DocumentKind.INVOICE,
        store_id=order.store_id,
        order_id=order.order_id,
        key=DocumentKind.INVOICE.value,
        year=issue.year,
        number=0,
        number_text="",
        issued_at=issue.issued_at,
        issue_date=issue.issue_date,
        language=issue.language,
        currency=currency,
        seller=issue.seller,
        buyer=buyer_of(order),
        order_number=order_number,
        payment_method=order.payment_method.value,
        lines=invoice_lines(order, issue.language),
        rates=rates,
        net_total=_sum([r.net for r in rates], currency),
        tax_total=_sum([r.tax for r in rates], currency),
        total=order.totals.total,
        prices_include_tax=order.totals.tax_included,
    )


def refund_rates(rates: Sequence[RateTotal], refund: Money) -> tuple[RateTotal, ...]:
    """The refund shared over the invoice's rates by gross amount, each share split into net and tax in the rate's
    own proportion. The shares' gross adds up to the refund exactly; rates given nothing are left out."""
    if not rates or refund.amount <= 0:
        return ()
    shares = _shared(refund, [r.gross.amount for r in rates])
    found = []
    for rate, share in zip(rates, shares, strict=True):
        if share.amount == 0:
            continue
        net, tax = (
            _shared(share, [rate.net.amount, rate.tax.amount])
            if rate.tax.amount
            else (share, Money.zero(share.currency))
        )
        found.append(RateTotal(rate.basis_points, net, tax))
    return tuple(found)


def credit_note_for(invoice: TaxDocument, refund_id: str, refund: Money, issue: Issue) -> TaxDocument:
    """The credit note of one refund of an invoiced order: refers to the invoice, totals equal to the refund."""
    if refund.currency != invoice.currency:
        raise ValueError("a refund is in its order's currency")
    if refund > invoice.total:
        raise ValueError("a refund never exceeds what was invoiced")
    rates = refund_rates(invoice.rates, refund)
    text = label(issue.language, "refund")
    lines = tuple(
        DocumentLine(
            f"{text} {r.basis_points / 100:g}%",
            1,
            r.gross if invoice.prices_include_tax else r.net,
            r.gross if invoice.prices_include_tax else r.net,
            r.basis_points,
            r.tax,
        )
        for r in rates
    )
    return TaxDocument(
        kind=DocumentKind.CREDIT_NOTE,
        store_id=invoice.store_id,
        order_id=invoice.order_id,
        key=refund_id,
        year=issue.year,
        number=0,
        number_text="",
        issued_at=issue.issued_at,
        issue_date=issue.issue_date,
        language=issue.language,
        currency=invoice.currency,
        seller=issue.seller,
        buyer=invoice.buyer,
        order_number=invoice.order_number,
        payment_method=invoice.payment_method,
        lines=lines,
        rates=rates,
        net_total=_sum([r.net for r in rates], invoice.currency),
        tax_total=_sum([r.tax for r in rates], invoice.currency),
        total=refund,
        prices_include_tax=invoice.prices_include_tax,
        refers_to=invoice.number_text,
        refund_id=refund_id,
    )
