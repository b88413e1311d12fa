"""How a product's pictures load: responsive WebP sources for the browser to choose from. Pure."""

from __future__ import annotations

from collections.abc import Sequence

# The gallery is the full width on a phone and about half of the 1180 px page beside the buying panel.
GALLERY_SIZES = "(min-width: 900px) 560px, 100vw"
CARD_SIZES = "(min-width: 760px) 240px, 50vw"


def srcset(renditions: Sequence[tuple[int, str]]) -> str:
    """`url 256w, url 768w, ...` (empty when the image has no renditions: the browser then uses src)."""
    return ", ".join(f"{url} {width}w" for width, url in sorted(renditions))


def best_src(original: str, renditions: Sequence[tuple[int, str]], at_least: int = 768) -> str:
    """The src for browsers without srcset: the narrowest rendition at least `at_least` wide, else the widest one,
    else the original."""
    ordered = sorted(renditions)
    for width, url in ordered:
        if width >= at_least:
            return url
    return ordered[-1][1] if ordered else original
