"""What the owner's daily summary shows: yesterday's sales, the top sellers, what needs attention."""

from __future__ import annotations

from typing import Any

from nozzly.analytics.domain.daily_summary import DailySummary
from nozzly.analytics.domain.dashboard import Attention
from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand, money

TEMPLATE = "daily_summary"
# What each attention kind means to an owner reading an email (the dashboard's kinds; an unknown one is spelt out).
NEEDS = {
    "orders_unshipped": "paid orders not shipped yet",
    "cash_orders_unpaid": "cash orders not collected yet",
    "reviews_pending": "reviews waiting for moderation",
    "low_stock": "variants running low on stock",
}


def _change(percent: float | None) -> str | None:
    if percent is None:
        return None
    return f"{percent:+.1f}% on the day before" if percent else "the same as the day before"


def _needs(item: Attention) -> dict[str, Any]:
    return {
        "count": f"{item.count}+" if item.more else str(item.count),
        "what": NEEDS.get(item.kind, item.kind.replace("_", " ")),
        "examples": [i.label for i in item.items],
    }


def daily_summary(
    summary: DailySummary, store: Store, settings: dict[str, Any] | None, titles: dict[str, str]
) -> dict[str, Any]:
    """`titles`: product slug -> title for the top sellers (a product gone since shows its slug)."""
    branding = brand(store, settings)
    day = summary.day.strftime("%A %d %B %Y").replace(" 0", " ")
    return {
        "subject": f"{branding['name']}: your sales on {day}",
        "brand": branding,
        "day": day,
        "net": money(summary.net, summary.currency),
        "orders": summary.orders,
        "refunds": money(summary.refunds, summary.currency),
        "average_order": money(summary.average_order, summary.currency),
        "change": _change(summary.change_percent),
        "top": [
            {"title": titles.get(p.product, p.product), "units": p.units, "revenue": money(p.revenue, summary.currency)}
            for p in summary.top
        ],
        "attention": [_needs(a) for a in summary.attention],
    }
