"""A store's attention list: open items a person should look at, one per thing (a low-stock variant). Pure Python.

An item is open until what raised it is over (the variant is restocked above its threshold) or a person resolves
it; acknowledging one keeps it open but shows who has seen it. Its id in the API is `{kind}:{product}:{variant}`
(slugs and variant ids never hold a colon), so the id alone locates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["KINDS", "LOW_STOCK", "AttentionEntry", "AttentionKey", "parse_item_id"]

LOW_STOCK: Final = "low_stock"
KINDS: Final = frozenset({LOW_STOCK})
# Product slugs and variant ids; bounded so a key built from a crafted id stays far inside DynamoDB's limits.
_PART: Final = re.compile(r"[A-Za-z0-9_-]{1,120}")


@dataclass(frozen=True, slots=True)
class AttentionKey:
    kind: str
    product: str
    variant: str

    @property
    def item_id(self) -> str:
        return f"{self.kind}:{self.product}:{self.variant}"


@dataclass(frozen=True, slots=True)
class AttentionEntry:
    key: AttentionKey
    title: str
    variant_title: str
    sku: str
    available: int
    threshold: int
    at: int  # epoch seconds it was opened
    acknowledged_by: str | None = None
    acknowledged_at: int | None = None

    def ref(self, store_id: str) -> str:
        """Where it is fixed: the product in the admin API."""
        return f"/admin/stores/{store_id}/products/{self.key.product}"


def parse_item_id(item_id: str) -> AttentionKey | None:
    """The key an API id names, or None for anything that cannot be an item (the caller answers 404)."""
    parts = item_id.split(":")
    if len(parts) != 3 or parts[0] not in KINDS or not all(_PART.fullmatch(p) for p in parts[1:]):
        return None
    return AttentionKey(*parts)
