"""Related products: which of a category's products to show next to one product. Pure.

The JSON route (GET .../products/{slug}/related) and the shop's product page rank with this one function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from nozzly.catalog.domain.catalog import Product


def rank_related(candidates: Sequence[Product], product: str, tags: Iterable[str], limit: int) -> list[Product]:
    """Those sharing the most tags first, the product itself left out; ties keep the candidates' (title) order."""
    wanted = {t for t in tags if t}
    others = [p for p in candidates if p.slug != product]
    return sorted(others, key=lambda p: -len(wanted & set(p.tags)))[:limit]  # sorted() is stable
