"""A tax document as plain data (a DynamoDB map) and back. Money is {amount, currency}; nothing is a float."""

from __future__ import annotations

from typing import Any

from nozzly.invoices.domain.documents import DocumentKind, DocumentLine, Party, RateTotal, TaxDocument
from nozzly.kernel.domain.money import Money


def _money(m: Money | None) -> dict[str, Any] | None:
    return None if m is None else {"amount": m.amount, "currency": m.currency}


def _from_money(d: dict[str, Any] | None) -> Money | None:
    return None if d is None else Money(int(d["amount"]), str(d["currency"]))


def _sure(d: dict[str, Any]) -> Money:
    return Money(int(d["amount"]), str(d["currency"]))


def _party(p: Party) -> dict[str, Any]:
    return {"name": p.name, "address_lines": list(p.address_lines), "tax_id": p.tax_id, "email": p.email}


def _from_party(d: dict[str, Any]) -> Party:
    return Party(d["name"], tuple(d.get("address_lines") or ()), d.get("tax_id"), d.get("email"))


def document_data(doc: TaxDocument) -> dict[str, Any]:
    return {
        "kind": doc.kind.value,
        "store_id": doc.store_id,
        "order_id": doc.order_id,
        "key": doc.key,
        "year": doc.year,
        "number": doc.number,
        "number_text": doc.number_text,
        "issued_at": doc.issued_at,
        "issue_date": doc.issue_date,
        "language": doc.language,
        "currency": doc.currency,
        "seller": _party(doc.seller),
        "buyer": _party(doc.buyer),
        "order_number": doc.order_number,
        "payment_method": doc.payment_method,
        "lines": [
            {
                "description": x.description,
                "quantity": x.quantity,
                "unit_price": _money(x.unit_price),
                "amount": _money(x.amount),
                "basis_points": x.basis_points,
                "tax": _money(x.tax),
            }
            for x in doc.lines
        ],
        "rates": [{"basis_points": r.basis_points, "net": _money(r.net), "tax": _money(r.tax)} for r in doc.rates],
        "net_total": _money(doc.net_total),
        "tax_total": _money(doc.tax_total),
        "total": _money(doc.total),
        "prices_include_tax": doc.prices_include_tax,
        "refers_to": doc.refers_to,
        "refund_id": doc.refund_id,
    }


def document_from_data(d: dict[str, Any]) -> TaxDocument:
    return TaxDocument(
        kind=DocumentKind(d["kind"]),
        store_id=d["store_id"],
        order_id=d["order_id"],
        key=d["key"],
        year=int(d["year"]),
        number=int(d["number"]),
        number_text=d["number_text"],
        issued_at=int(d["issued_at"]),
        issue_date=d["issue_date"],
        language=d["language"],
        currency=d["currency"],
        seller=_from_party(d["seller"]),
        buyer=_from_party(d["buyer"]),
        order_number=d["order_number"],
        payment_method=d["payment_method"],
        lines=tuple(
            DocumentLine(
                x["description"],
                int(x["quantity"]),
                _sure(x["unit_price"]),
                _sure(x["amount"]),
                None if x.get("basis_points") is None else int(x["basis_points"]),
                _from_money(x.get("tax")),
            )
            for x in d["lines"]
        ),
        rates=tuple(RateTotal(int(r["basis_points"]), _sure(r["net"]), _sure(r["tax"])) for r in d["rates"]),
        net_total=_sure(d["net_total"]),
        tax_total=_sure(d["tax_total"]),
        total=_sure(d["total"]),
        prices_include_tax=bool(d["prices_include_tax"]),
        refers_to=d.get("refers_to"),
        refund_id=d.get("refund_id"),
    )
