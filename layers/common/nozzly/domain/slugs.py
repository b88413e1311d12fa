"""URL slugs: lowercase ASCII words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Letters that Unicode decomposition cannot reduce to ASCII (it would drop them entirely).
_TRANSLITERATE = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th", "ð": "d"})
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
MAX_SLUG_LENGTH = 80


def slugify(text: str) -> str:
    folded = text.lower().translate(_TRANSLITERATE)
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


def is_slug(value: str) -> bool:
    return len(value) <= MAX_SLUG_LENGTH and _SLUG.match(value) is not None


def numbered_slugs(base: str, attempts: int) -> list[str]:
    """base, base-2, base-3 ...: the candidates for a unique slug, each within MAX_SLUG_LENGTH."""
    candidates = [base]
    for n in range(2, attempts + 1):
        suffix = f"-{n}"
        candidates.append(base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix)
    return candidates
