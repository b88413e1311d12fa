"""The weekly AI draft: which keyword to write about, what Bedrock is asked, and what its answer must be. Pure.

The keyword is one the store's published products cover (their tags and title words, weighted by how many
products share them) and no post covers yet (in its keyword, title or slug). The answer is one JSON object;
anything else is refused, and the week's draft is tried again by the next run.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from nozzly.kernel.domain.slugs import slugify

SYSTEM: Final = "You write helpful, accurate blog posts for online shops. You answer with JSON only."
MAX_OUTPUT_TOKENS: Final = 2000
_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
# Title words that name no topic a shopper searches for.
_STOP: Final = frozenset({"with", "for", "and", "the", "from", "this", "that", "your", "pack", "set", "size", "new"})


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the drafter may say about a published product."""

    slug: str
    title: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DraftText:
    title: str
    body_markdown: str
    seo_title: str
    seo_description: str


class InvalidDraft(ValueError):
    """The model's answer is not a usable post; the message says why."""


def week_of(epoch: float) -> str:
    """The ISO week (`2026-W49`): one draft per store and week."""
    year, week, _ = datetime.fromtimestamp(epoch, UTC).isocalendar()
    return f"{year}-W{week:02d}"


def _topics(product: ProductFacts) -> set[str]:
    tags = {" ".join(t.lower().split()) for t in product.tags if t.strip()}
    words = {w for w in _WORD.findall(product.title.lower()) if w not in _STOP}
    return tags | words


def pick_keyword(products: Iterable[ProductFacts], covered: Iterable[str]) -> str | None:
    """The keyword most products share that no post covers yet; ties by name. None: nothing left to write on."""
    counts: Counter[str] = Counter()
    for product in products:
        counts.update(_topics(product))
    taken = " ".join(c.lower() for c in covered)
    fresh = [(n, k) for k, n in counts.items() if k not in taken and slugify(k) not in taken]
    if not fresh:
        return None
    return min(fresh, key=lambda pair: (-pair[0], pair[1]))[1]


def prompt(keyword: str, store_name: str, niche: str, products: Iterable[ProductFacts]) -> str:
    """The ask; the facts travel as one JSON object between <post> tags (the local Bedrock peer reads them)."""
    about = [p.title for p in products if keyword in _topics(p)][:8]
    facts = {"keyword": keyword, "store": store_name, "niche": niche or "general", "products": about}
    return (
        "Write a blog post for the online shop below, aimed at the search keyword it names. Give useful advice; "
        "mention only the products listed and invent no product, price, certification or claim.\n"
        f"<post>{json.dumps(facts, ensure_ascii=False)}</post>\n"
        'Answer with one JSON object with the string fields "title" (at most 100 characters), "body_markdown" '
        '(Markdown, 300 to 800 words, headings from ##), "seo_title" (at most 60 characters) and '
        '"seo_description" (at most 155 characters).'
    )


def _field(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidDraft(f"{name} must be a non-empty string")
    text = value.strip() if name == "body_markdown" else " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def parse_draft(text: str) -> DraftText:
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if start >= 0 and end > start else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise InvalidDraft("the answer is not one JSON object")
    return DraftText(
        title=_field(data, "title", 120),
        body_markdown=_field(data, "body_markdown", 100_000),
        seo_title=_field(data, "seo_title", 60),
        seo_description=_field(data, "seo_description", 160),
    )


def draft_slug(title: str, keyword: str, taken: set[str]) -> str:
    """The title's slug (else the keyword's), numbered past the store's slugs already taken."""
    base = slugify(title) or slugify(keyword) or "post"
    base = base[:70].rstrip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
