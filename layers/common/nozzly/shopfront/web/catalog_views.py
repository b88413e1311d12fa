"""What the browsing pages show of the catalog, shaped from the JSON API's own contracts (no second shaping)."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.catalog.contracts.storefront import ImageOut, ProductSummaryOut, SearchHitOut
from nozzly.catalog.domain.catalog import Category, StockStatus
from nozzly.kernel.contracts.money import MoneyOut
from nozzly.shopfront.domain.gallery import best_src, srcset


@dataclass(frozen=True, slots=True)
class Card:
    """One product in a grid: a listing's summary and a search hit look alike to a shopper."""

    slug: str
    title: str
    price: MoneyOut
    compare_at_price: MoneyOut | None
    image: ImageOut | None
    stock_status: StockStatus


def card_of(found: ProductSummaryOut | SearchHitOut) -> Card:
    if isinstance(found, SearchHitOut):
        return Card(found.slug, found.title, found.price, None, found.image, found.stock_status)
    return Card(found.slug, found.title, found.price, found.compare_at_price, found.image, found.stock.status)


@dataclass(frozen=True, slots=True)
class Picture:
    src: str
    srcset: str
    alt: str
    thumb: str  # the narrowest copy, for the gallery's thumbnails


def picture_of(image: ImageOut, fallback_alt: str) -> Picture:
    pairs = [(r.width, r.url) for r in image.renditions]
    thumb = min(pairs)[1] if pairs else image.url
    return Picture(best_src(image.url, pairs), srcset(pairs), image.alt or fallback_alt, thumb)


def category_trail(categories: list[Category], slug: str) -> list[Category]:
    """The category and its ancestors, the top one first (a parent missing from the list ends the trail)."""
    by_slug = {c.slug: c for c in categories}
    trail: list[Category] = []
    current = by_slug.get(slug)
    while current is not None and current not in trail:
        trail.insert(0, current)
        current = by_slug.get(current.parent) if current.parent else None
    return trail


def crumbs(home: str, trail: list[Category], last: tuple[str, str] | None = None) -> list[tuple[str, str]]:
    """(name, path) pairs from the home page down, for the breadcrumb bar and its BreadcrumbList."""
    found = [(home, "/"), *((c.name, f"/categories/{c.slug}") for c in trail)]
    return found + ([last] if last else [])
