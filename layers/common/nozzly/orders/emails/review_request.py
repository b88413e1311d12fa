"""What a review request shows: the store's words, one review link per product of the order, and the footer
every marketing email carries (why they got it, how to stop it)."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, order_number


def review_request(
    order: dict[str, Any],
    store: Store,
    settings: dict[str, Any] | None,
    *,
    words: tuple[str, str],
    links: dict[str, str],
    optout_url: str,
) -> dict[str, Any]:
    """`words`: the flow's subject and intro, filled; `links`: each product's review form by product slug."""
    branding = brand(store, settings)
    subject, intro = words
    seen: dict[str, dict[str, str]] = {}
    for line in order["lines"]:
        product = str(line.get("product") or "")
        if product in links and product not in seen:
            seen[product] = {"title": str(line["title"]), "url": links[product]}
    return {
        "subject": subject,
        "brand": branding,
        "intro": intro,
        "number": order_number(int(order["number"]), branding),
        "items": list(seen.values()),
        "optout_url": optout_url,
    }
