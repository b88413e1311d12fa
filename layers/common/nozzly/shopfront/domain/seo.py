"""What a page tells search engines and link previews: title, description, canonical URL, Open Graph, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

DESCRIPTION_LIMIT = 160


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str = ""
    canonical: str | None = None
    image: str | None = None
    og_type: str = "website"
    noindex: bool = False
    json_ld: list[dict[str, Any]] = field(default_factory=list)

    def json_ld_text(self) -> list[str]:
        """Each JSON-LD object as text safe inside <script type="application/ld+json"> (no "</" can close it)."""
        return [json.dumps(d, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/") for d in self.json_ld]


def organization(name: str, url: str, logo: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "name": name, "url": url}
    if logo:
        found["logo"] = logo
    return found


def breadcrumbs(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """BreadcrumbList from (name, absolute URL) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url} for i, (name, url) in enumerate(trail, 1)
        ],
    }


def page_title(seo_title: str, title: str) -> str:
    """The <title> a product or category page carries: the operator's SEO title when set."""
    return seo_title.strip() or title


def page_description(seo_description: str, description: str, fallback: str = "") -> str:
    """The meta description: the operator's SEO text, else the description shortened, else the fallback."""
    return shorten(seo_description.strip() or description or fallback)


def with_rating(product_ld: dict[str, Any], count: int, average: str | None) -> dict[str, Any]:
    """The Product JSON-LD with an aggregateRating once there are reviews (search engines reject a zero count)."""
    if count <= 0 or average is None:
        return product_ld
    rating = {"@type": "AggregateRating", "ratingValue": average, "reviewCount": count, "bestRating": 5}
    return {**product_ld, "aggregateRating": rating}


def article(
    headline: str, url: str, *, published: str, modified: str, publisher: str, image: str | None, description: str
) -> dict[str, Any]:
    """A blog post's Article JSON-LD (schema.org): headline at most 110 characters, dates in ISO 8601."""
    found: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": shorten(headline, 110),
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published,
        "dateModified": modified,
        "author": {"@type": "Organization", "name": publisher},
        "publisher": {"@type": "Organization", "name": publisher},
    }
    if description:
        found["description"] = description
    if image:
        found["image"] = [image]
    return found


SHOPPER_ONLY_PATHS = ("/search", "/cart", "/checkout", "/account")


def shop_robots(catalog_robots: str, base: str) -> str:
    """The catalog's robots rules for the shop pages, plus the pages only a shopper needs (cart, checkout, account).

    `catalog_robots` is catalog.domain.seo.robots_txt's text for `base`; the lines it already has stay as they are.
    """
    lines = catalog_robots.rstrip("\n").split("\n")
    sitemap = [line for line in lines if line.startswith("Sitemap:")]
    rules = [line for line in lines if not line.startswith("Sitemap:")]
    extra = [f"Disallow: {base}{p}" for p in SHOPPER_ONLY_PATHS if f"Disallow: {base}{p}" not in rules]
    return "\n".join(rules + extra + sitemap) + "\n"
