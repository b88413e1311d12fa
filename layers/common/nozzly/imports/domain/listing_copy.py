"""The copy of an imported product: what the AI is asked for, what an answer must satisfy, and the fallback.

The model is asked for one JSON object (see `COPY_SCHEMA`); its answer is accepted only when it parses, has
every field with the right type, and keeps the lengths a search result shows (SEO title <= 60 characters,
meta description <= 155). The description is sanitised to a small set of tags before it is kept: the model's
HTML is untrusted input like any other. An invalid answer is asked for once more; after that the product
keeps the supplier's own copy, marked `needs_copy` for the owner.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Final

import nh3

SEO_TITLE_MAX: Final = 60
META_DESCRIPTION_MAX: Final = 155
KEYWORDS_MAX: Final = 12
ALT_MAX: Final = 125
ALLOWED_TAGS: Final = frozenset({"p", "ul", "ol", "li", "strong", "em", "br", "h3", "h4"})

COPY_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["seo_title", "description_html", "meta_description", "keywords", "image_alts"],
    "properties": {
        "seo_title": {"type": "string", "minLength": 1, "maxLength": SEO_TITLE_MAX},
        "description_html": {
            "type": "string",
            "minLength": 1,
            "description": f"HTML using only {sorted(ALLOWED_TAGS)}",
        },
        "meta_description": {"type": "string", "minLength": 1, "maxLength": META_DESCRIPTION_MAX},
        "keywords": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": KEYWORDS_MAX},
        "image_alts": {"type": "array", "items": {"type": "string", "maxLength": ALT_MAX}},
    },
}


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What the supplier says about the product: the only facts the copy may use."""

    title: str
    description: str
    features: tuple[str, ...]
    image_count: int


@dataclass(frozen=True, slots=True)
class ListingCopy:
    seo_title: str
    description_html: str
    meta_description: str
    keywords: tuple[str, ...]
    image_alts: tuple[str, ...]
    needs_copy: bool = False  # the supplier's own words: the owner should write the copy


class InvalidCopy(ValueError):
    """The model's answer broke the schema; the message says how (fed back on the retry)."""


def prompt(facts: SourceFacts, language: str, store_name: str, niche: str) -> str:
    payload = {
        "title": facts.title,
        "description": facts.description,
        "features": list(facts.features),
        "images": [f"image {n}" for n in range(1, facts.image_count + 1)],
    }
    return (
        f"Write the product listing for the online shop {store_name!r} (niche: {niche or 'general'}) in the "
        f"language {language!r}. Use only the facts below; invent no specification, certification or claim.\n"
        f"<facts>{json.dumps(payload, ensure_ascii=False)}</facts>\n"
        f"Answer with one JSON object and nothing else, matching this JSON schema; give exactly "
        f"{facts.image_count} image_alts, one per image in order:\n{json.dumps(COPY_SCHEMA)}"
    )


def _text(value: Any, field: str, limit: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidCopy(f"{field} must be a non-empty string")
    text = " ".join(value.split())
    if limit is not None and len(text) > limit:
        raise InvalidCopy(f"{field} has {len(text)} characters; at most {limit}")
    return text


def sanitise(markup: str) -> str:
    """Only the allowed tags, no attributes, no scripts or styles (their content dropped too)."""
    cleaned: str = nh3.clean(markup, tags=set(ALLOWED_TAGS), attributes={}, link_rel=None)
    return cleaned.strip()


def parse_copy(text: str, image_count: int) -> ListingCopy:
    """The model's answer as copy, or InvalidCopy naming the first problem."""
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if start >= 0 and end > start else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise InvalidCopy("the answer is not one JSON object")
    description = sanitise(_text(data.get("description_html"), "description_html"))
    if not description:
        raise InvalidCopy("description_html has no text left after sanitising")
    keywords, alts = data.get("keywords"), data.get("image_alts")
    if not isinstance(keywords, list) or not 1 <= len(keywords) <= KEYWORDS_MAX:
        raise InvalidCopy(f"keywords must be a list of 1 to {KEYWORDS_MAX} strings")
    if not isinstance(alts, list) or len(alts) != image_count:
        raise InvalidCopy(f"image_alts must be a list of exactly {image_count} strings")
    return ListingCopy(
        seo_title=_text(data.get("seo_title"), "seo_title", SEO_TITLE_MAX),
        description_html=description,
        meta_description=_text(data.get("meta_description"), "meta_description", META_DESCRIPTION_MAX),
        keywords=tuple(_text(k, "keywords", 60).lower() for k in keywords),
        image_alts=tuple(_text(a, "image_alts", ALT_MAX) for a in alts),
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fallback_copy(facts: SourceFacts) -> ListingCopy:
    """The supplier's own words, within the same limits, marked for the owner to rewrite."""
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in facts.description.split("\n\n") if p.strip())
    items = "".join(f"<li>{html.escape(f)}</li>" for f in facts.features)
    return ListingCopy(
        seo_title=_clip(facts.title, SEO_TITLE_MAX),
        description_html=sanitise(paragraphs + (f"<ul>{items}</ul>" if items else "")) or "<p></p>",
        meta_description=_clip(facts.description or facts.title, META_DESCRIPTION_MAX),
        keywords=(),
        image_alts=tuple(_clip(f"{facts.title}, image {n}", ALT_MAX) for n in range(1, facts.image_count + 1)),
        needs_copy=True,
    )
