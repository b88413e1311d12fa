"""The dashboard's low-stock attention block, read from the store's attention list (stores/adapters/attention.py):
its counter item and first items, two DynamoDB calls whatever the store's size."""

from __future__ import annotations

from collections.abc import Callable

from nozzly.analytics.domain.dashboard import Attention, AttentionItem
from nozzly.stores.adapters.attention import AttentionList
from nozzly.stores.domain.attention import LOW_STOCK, AttentionEntry

__all__ = ["low_stock_attention"]


def _label(entry: AttentionEntry) -> str:
    name = f"{entry.title} ({entry.variant_title})" if entry.variant_title else entry.title
    return f"{name or entry.key.product} is low: {entry.available} left"


def low_stock_attention(attention: AttentionList) -> Callable[[str, int], Attention]:
    """What Dashboard.stock_attention calls with the store and how many items to show."""

    def read(store_id: str, limit: int) -> Attention:
        counts, entries = attention.open(store_id, limit)
        shown = [e for e in entries if e.key.kind == LOW_STOCK]
        count = counts.get(LOW_STOCK, 0)
        return Attention(
            kind=LOW_STOCK,
            count=count,
            more=False,  # the counter is exact
            items=tuple(AttentionItem(ref=e.key.product, label=_label(e), at=e.at) for e in shown),
            link=f"/admin/stores/{store_id}/attention",
        )

    return read
