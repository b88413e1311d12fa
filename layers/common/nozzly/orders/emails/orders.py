"""What the order-lifecycle emails after the confirmation show: the order as stored plus the event's facts.

Each builder takes the stored order item (orders/adapters/orders.py), the store and its email settings, and the
event's detail where the event carries facts the order does not (a tracking link, a refund's amount).
"""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, money, order_number

PAYMENT_METHODS = {"card": "card", "cash_on_delivery": "cash on delivery", "offline": "offline (taken by the store)"}


def _summary(order: dict[str, Any], branding: dict[str, Any]) -> dict[str, Any]:
    currency = order["currency"]
    return {
        "number": order_number(int(order["number"]), branding),
        "total": money(int(order["totals"]["total"]), currency),
        "lines": [
            {
                "quantity": int(line["quantity"]),
                "title": line["title"],
                "variant_title": line.get("variant_title"),
            }
            for line in order["lines"]
        ],
    }


def _base(subject: str, order: dict[str, Any], store: Store, settings: dict[str, Any] | None) -> dict[str, Any]:
    branding = brand(store, settings)
    # "intro": the store's opening line of a flow email (OrderEmails sets it with the flow's subject).
    return {"subject": subject, "brand": branding, "order": _summary(order, branding), "intro": ""}


def _store_name(store: Store, settings: dict[str, Any] | None) -> str:
    return str(brand(store, settings)["name"])


def _number(order: dict[str, Any], store: Store, settings: dict[str, Any] | None) -> str:
    return order_number(int(order["number"]), brand(store, settings))


def payment_receipt(order: dict[str, Any], store: Store, settings: dict[str, Any] | None) -> dict[str, Any]:
    number = _number(order, store, settings)
    context = _base(f"Payment received for {_store_name(store, settings)} order #{number}", order, store, settings)
    method = str(order.get("payment_method") or "card")
    context["payment"] = {"method": PAYMENT_METHODS.get(method, method.replace("_", " "))}
    context["invoice_url"] = invoice_url(order, context["brand"])
    return context


def invoice_url(order: dict[str, Any], branding: dict[str, Any]) -> str | None:
    """Where a shopper with an account downloads the order's invoice (the shop's account pages, which sign them
    in first); None for a guest's order or a store without a storefront URL."""
    base = branding.get("storefront_url")
    if not base or not order.get("customer"):
        return None
    return f"{base}/account/orders/{order['order_id']}/invoice"


def shipped(
    order: dict[str, Any], store: Store, settings: dict[str, Any] | None, detail: dict[str, Any]
) -> dict[str, Any]:
    number = _number(order, store, settings)
    context = _base(f"Your {_store_name(store, settings)} order #{number} is on its way", order, store, settings)
    context["shipment"] = {
        "carrier": detail.get("carrier"),
        "tracking_number": detail.get("tracking_number"),
        "tracking_url": detail.get("tracking_url"),
    }
    return context


def delivered(order: dict[str, Any], store: Store, settings: dict[str, Any] | None) -> dict[str, Any]:
    number = _number(order, store, settings)
    return _base(f"Your {_store_name(store, settings)} order #{number} was delivered", order, store, settings)


def cancelled(
    order: dict[str, Any], store: Store, settings: dict[str, Any] | None, detail: dict[str, Any]
) -> dict[str, Any]:
    number = _number(order, store, settings)
    context = _base(f"Your {_store_name(store, settings)} order #{number} was cancelled", order, store, settings)
    context["reason"] = detail.get("reason")
    context["refund_follows"] = order.get("payment_state") not in (None, "awaiting_payment")
    return context


def refunded(
    order: dict[str, Any], store: Store, settings: dict[str, Any] | None, detail: dict[str, Any]
) -> dict[str, Any]:
    number = _number(order, store, settings)
    currency = order["currency"]
    amount = int(detail["amount"])
    context = _base(f"Refund for your {_store_name(store, settings)} order #{number}", order, store, settings)
    context["refund"] = {
        "amount": money(amount, currency),
        "full": amount >= int(order["totals"]["total"]),
    }
    return context
