"""A tax document as a PDF (ReportLab), in the document's language and the store's brand colour.

Rendered from the stored document alone, so a PDF rendered again later says exactly what the first one said.
ReportLab's built-in Helvetica covers Latin-1 (the EU languages the labels are in); it is imported on first use,
so only the functions that render pay for it.
"""

from __future__ import annotations

import io
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from nozzly.invoices.domain.documents import DocumentKind, TaxDocument
from nozzly.invoices.domain.labels import label, payment_label
from nozzly.kernel.domain.money import Money

DEFAULT_COLOUR = "#2d6a4f"


def _money(m: Money | None) -> str:
    return "" if m is None else f"{m.to_decimal_string()} {m.currency}"


def _rate(basis_points: int | None) -> str:
    return "" if basis_points is None else f"{basis_points / 100:g}%"


def render(doc: TaxDocument, colour: str | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    brand = colors.HexColor(colour or DEFAULT_COLOUR)
    styles = getSampleStyleSheet()
    words = partial(label, doc.language)

    def para(text: str) -> Any:
        return Paragraph(escape(text).replace("\n", "<br/>"), styles["Normal"])

    title = words("invoice" if doc.kind is DocumentKind.INVOICE else "credit_note")
    heading = styles["Title"].clone("brand", textColor=brand, alignment=0)

    seller = "\n".join(
        [doc.seller.name, *doc.seller.address_lines]
        + ([f"{words('tax_id')}: {doc.seller.tax_id}"] if doc.seller.tax_id else [])
    )
    buyer = "\n".join([doc.buyer.name, *doc.buyer.address_lines] + ([doc.buyer.email] if doc.buyer.email else []))
    small = styles["Normal"].clone("small", fontSize=8, leading=10)
    pairs = [
        (words("number"), doc.number_text),
        (words("date"), doc.issue_date),
        (words("order"), doc.order_number),
        (words("payment"), payment_label(doc.language, doc.payment_method)),
    ]
    if doc.refers_to:
        pairs.append((words("refers_to"), doc.refers_to))
    facts = Table(
        [[Paragraph(escape(k), small), Paragraph(escape(v), small)] for k, v in pairs], colWidths=[24 * mm, 34 * mm]
    )
    facts.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    head = Table(
        [[_block(words("seller"), seller, styles), _block(words("buyer"), buyer, styles), facts]],
        colWidths=[61 * mm, 61 * mm, 58 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rows = [
        [words("description"), words("quantity"), words("unit_price"), words("rate"), words("tax"), words("amount")]
    ]
    for line in doc.lines:
        rows.append(
            [
                para(line.description),
                str(line.quantity),
                _money(line.unit_price),
                _rate(line.basis_points) or words("not_recorded"),
                _money(line.tax),
                _money(line.amount),
            ]
        )
    lines = Table(rows, colWidths=[64 * mm, 12 * mm, 28 * mm, 24 * mm, 24 * mm, 28 * mm], repeatRows=1)
    lines.setStyle(_grid(brand))
    totals = [[words("rate"), words("net"), words("tax"), words("gross")]]
    totals += [[_rate(r.basis_points), _money(r.net), _money(r.tax), _money(r.gross)] for r in doc.rates]
    totals.append([words("total"), _money(doc.net_total), _money(doc.tax_total), _money(doc.total)])
    by_rate = Table(totals, colWidths=[30 * mm, 40 * mm, 40 * mm, 40 * mm], hAlign="RIGHT")
    by_rate.setStyle(_grid(brand, bold_last=True))
    story = [
        Paragraph(f"{escape(title)} {escape(doc.number_text)}", heading),
        head,
        Spacer(1, 8 * mm),
        lines,
        Spacer(1, 6 * mm),
        by_rate,
        Spacer(1, 4 * mm),
        para(words("included" if doc.prices_include_tax else "excluded")),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=f"{title} {doc.number_text}", author=doc.seller.name, leftMargin=15 * mm,
        rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm, invariant=True,
    ).build(story)  # fmt: skip
    return out.getvalue()


def _block(caption: str, text: str, styles: Any) -> Any:
    """A captioned block of lines (seller, buyer): the caption bold, each line as given."""
    from reportlab.platypus import Paragraph

    return Paragraph(f"<b>{escape(caption)}</b><br/>" + escape(text).replace("\n", "<br/>"), styles["Normal"])


def _grid(brand: object, *, bold_last: bool = False) -> object:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    style = [
        ("BACKGROUND", (0, 0), (-1, 0), brand),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if bold_last:
        style.append(("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"))
    return TableStyle(style)
