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
