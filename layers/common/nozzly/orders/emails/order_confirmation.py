"""What the order confirmation shows: the order as stored, in words and money a shopper reads."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, order_number
from nozzly.messaging.emails.branding import money as _money

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


def context(order: dict[str, Any], store: Store, email_settings: dict[str, Any] | None) -> dict[str, Any]:
    """`order` is the stored order item (orders/adapters/orders.py)."""
    currency = order["currency"]
    totals = order["totals"]
    branding = brand(store, email_settings)
    number = order_number(int(order["number"]), branding)
    return {
        "subject": f"Your {branding['name']} order #{number}",
        "intro": "",  # the store's opening line (the order_confirmation flow's words, set by OrderEmails)
        "brand": branding,
        "order": {
            "number": number,
            "lines": [
                {
                    "quantity": int(line["quantity"]),
                    "title": line["title"],
                    "variant_title": line.get("variant_title"),
                    "total": _money(int(line["unit_price"]) * int(line["quantity"]), currency),
                }
                for line in order["lines"]
            ],
            "subtotal": _money(int(totals["subtotal"]), currency),
            "discount": _money(int(totals["discount"]), currency),
            "has_discount": int(totals["discount"]) > 0,
            "coupon": order.get("coupon"),
            "shipping": _money(int(totals["shipping"]), currency),
            "shipping_name": order["shipping"]["name"],
            "tax": _money(int(totals["tax"]), currency),
            "total": _money(int(totals["total"]), currency),
            "awaiting_payment": order.get("payment_state") == "awaiting_payment",
            # An operator's order awaiting payment is collected however the store arranged it, not at the door.
            "pay_on_delivery": order.get("payment_method") == "cash_on_delivery",
        },
        "address": {field: order["shipping_address"].get(field) for field in ADDRESS_FIELDS},
        "follow_url": follow_url(order, branding),
    }


def follow_url(order: dict[str, Any], branding: dict[str, Any]) -> str | None:
    """The shop page where the shopper watches the order move, live: a signed-in shopper's order page, or a guest's
    confirmation page (the checkout's id is the order's, and that page is how a guest reaches their order; it hands
    the page its tracking token). None for a store without a storefront URL or a guest's order an operator entered
    (no checkout, so no page)."""
    base, order_id = branding.get("storefront_url"), order.get("order_id")
    if not base or not order_id:
        return None
    if order.get("customer"):
        return f"{base}/account/orders/{order_id}"
    return f"{base}/checkout/{order_id}" if order.get("channel", "web") == "web" else None
