"""What the stock emails show: a variant running low (to the store's team) or back for sale (to a shopper)."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, named


def _storefront_link(settings: dict[str, Any] | None, product: str) -> str | None:
    """A product link only when the store told us where its storefront lives (the API has no pages)."""
    base = (settings or {}).get("storefront_url")
    return f"{str(base).rstrip('/')}/products/{product}" if base else None


def low_stock(store: Store, alert: dict[str, Any]) -> dict[str, Any]:
    """`alert` is the LowStock event's detail. Sent to operators, so branded as Nozzly naming the store."""
    return {
        "subject": f"Low stock at {store.name}: {alert['title']} ({alert['variant_title']})",
        "brand": named("Nozzly"),
        "store": {"id": store.store_id, "name": store.name},
        "item": {
            "product": alert["product"],
            "title": alert["title"],
            "variant_title": alert["variant_title"],
            "sku": alert["sku"],
            "available": int(alert["available"]),
            "threshold": int(alert["threshold"]),
        },
    }


def back_in_stock(
    store: Store,
    settings: dict[str, Any] | None,
    alert: dict[str, Any],
    *,
    words: tuple[str, str] | None = None,
    optout_url: str | None = None,
) -> dict[str, Any]:
    """`words`: the back_in_stock flow's subject and intro, filled (absent: the defaults); `optout_url`: the
    subscriber's one-click marketing opt-out (its legal footer shows it)."""
    branding = brand(store, settings)
    subject, intro = words or (f"{alert['title']} is back in stock at {branding['name']}", "")
    return {
        "subject": subject,
        "intro": intro,
        "optout_url": optout_url,
        "brand": branding,
        "item": {
            "title": alert["title"],
            "variant_title": alert["variant_title"],
            "url": _storefront_link(settings, str(alert["product"])),
        },
    }
