"""The attention list's API answers."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from nozzly.stores.domain.attention import AttentionEntry

__all__ = ["OpenAttentionItemOut", "OpenAttentionPageOut", "item_out"]


class OpenAttentionItemOut(BaseModel):
    id: str = Field(description="The item's id in this API: `{kind}:{product}:{variant}`.")
    kind: str = Field(description="What needs attention: `low_stock`.")
    ref: str = Field(description="Where it is fixed: the product in the admin API.")
    product: str
    variant: str
    title: str
    variant_title: str
    sku: str
    available: int = Field(description="Stock available when the item was opened.")
    threshold: int
    opened_at: datetime
    acknowledged_by: str | None = Field(default=None, description="The operator who acknowledged it (account id).")
    acknowledged_at: datetime | None = None


class OpenAttentionPageOut(BaseModel):
    counts: dict[str, int] = Field(description="Open items per kind, the whole list (not just this page).")
    items: list[OpenAttentionItemOut]
    next_cursor: str | None


def _time(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


def item_out(store_id: str, entry: AttentionEntry) -> OpenAttentionItemOut:
    return OpenAttentionItemOut(
        id=entry.key.item_id,
        kind=entry.key.kind,
        ref=entry.ref(store_id),
        product=entry.key.product,
        variant=entry.key.variant,
        title=entry.title,
        variant_title=entry.variant_title,
        sku=entry.sku,
        available=entry.available,
        threshold=entry.threshold,
        opened_at=datetime.fromtimestamp(entry.at, UTC),
        acknowledged_by=entry.acknowledged_by,
        acknowledged_at=_time(entry.acknowledged_at),
    )
