"""URL slugs: lowercase ASCII words joined by hyphens, made from names in any script."""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
MAX_SLUG_LENGTH = 80


def slugify(text: str) -> str:
    """python-slugify's slug (text-unidecode transliteration): `東京ストア` is `dong-jing-sutoa`, `Ελληνικά`
    `ellenika`, `Straße` `strasse`. Always SLUG_PATTERN and at most MAX_SLUG_LENGTH; empty when the text has no
    letter or digit in any script (emoji, punctuation)."""
    # Imported here: its regular expressions are about 10 ms of a cold start, and most functions import this
    # module only for SLUG_PATTERN.
    from slugify import slugify as transliterated_slug

    slug = transliterated_slug(text, max_length=MAX_SLUG_LENGTH)
    return slug if _SLUG.match(slug) else ""


def is_slug(value: str) -> bool:
    return len(value) <= MAX_SLUG_LENGTH and _SLUG.match(value) is not None


def numbered_slugs(base: str, attempts: int) -> list[str]:
    """base, base-2, base-3 ...: the candidates for a unique slug, each within MAX_SLUG_LENGTH."""
    candidates = [base]
    for n in range(2, attempts + 1):
        suffix = f"-{n}"
        candidates.append(base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix)
    return candidates
