"""How the parts a checkout and its order share are stored: lines, totals and the shipping address.

One layout for both items (sales/adapters/checkouts.py, orders/adapters/orders.py), so an order is its checkout's copy.
"""

from __future__ import annotations

from typing import Any

from nozzly.customers.domain.customers import Address
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.checkout import CheckoutLine
from nozzly.sales.domain.pricing import Totals
from nozzly.sales.domain.tax import TaxPortion


def lines_data(lines: tuple[CheckoutLine, ...]) -> list[dict[str, Any]]:
    return [
        {
            "variant_id": x.variant_id,
            "product": x.product_slug,
            "sku": x.sku,
            "title": x.title,
            "variant_title": x.variant_title,
            "quantity": x.quantity,
            "unit_price": x.unit_price.amount,
        }
        for x in lines
    ]


def lines_from_data(data: list[dict[str, Any]], currency: str) -> tuple[CheckoutLine, ...]:
    return tuple(
        CheckoutLine(
            variant_id=x["variant_id"],
            product_slug=x["product"],
            sku=x["sku"],
            title=x["title"],
            variant_title=x["variant_title"],
            quantity=int(x["quantity"]),
            unit_price=Money(int(x["unit_price"]), currency),
        )
        for x in data
    )


def totals_data(t: Totals) -> dict[str, Any]:
    return {
        "subtotal": t.subtotal.amount,
        "discount": t.discount.amount,
        "shipping": t.shipping.amount,
        "tax": t.tax.amount,
        "tax_basis_points": t.tax_basis_points,
        "total": t.total.amount,
        "tax_included": t.tax_included,
        "taxes": [{"basis_points": p.basis_points, "net": p.net.amount, "tax": p.tax.amount} for p in t.taxes],
    }


def totals_from_data(t: dict[str, Any], currency: str) -> Totals:
    def money(amount: Any) -> Money:
        return Money(int(amount), currency)

    return Totals(
        subtotal=money(t["subtotal"]),
        discount=money(t["discount"]),
        shipping=money(t["shipping"]),
        tax=money(t["tax"]),
        tax_basis_points=int(t["tax_basis_points"]),
        total=money(t["total"]),
        tax_included=bool(t.get("tax_included", False)),
        taxes=tuple(TaxPortion(int(p["basis_points"]), money(p["net"]), money(p["tax"])) for p in t.get("taxes", [])),
    )


def address_data(address: Address) -> dict[str, Any]:
    """The address's fields that are set (an absent line2 or region is no attribute)."""
    fields = {name: getattr(address, name) for name in address.__dataclass_fields__}
    return {name: value for name, value in fields.items() if value is not None}
