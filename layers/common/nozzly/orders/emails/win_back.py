"""What a win-back shows: the store's words, one link back to the shop (tracked: it counts the flow's clicks),
and the legal footer every marketing email carries."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.branding import brand


def win_back(
    store: Store, settings: dict[str, Any] | None, *, words: tuple[str, str], shop_url: str, optout_url: str
) -> dict[str, Any]:
    subject, intro = words
    return {"subject": subject, "intro": intro, "brand": brand(store, settings), "shop_url": shop_url,
            "optout_url": optout_url}  # fmt: skip
