"""One candidate per product: the same source id, the same GTIN or near-identical titles are one product.

Of each group the lowest landed cost (cost plus shipping) is kept, as it is the offer the store would buy;
a tie keeps the one seen first, so a run is deterministic. Titles are compared as sorted word lists (word
order, case and the space before a unit do not matter) with difflib's ratio; 0.9 merges "LED Desk Lamp,
black" with "Black LED desk lamp" but keeps "LED Desk Lamp" apart from "LED Floor Lamp".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Final

from nozzly.research.domain.candidates import Candidate, title_tokens

TITLE_SIMILARITY: Final = 0.9


def title_key(title: str) -> str:
    """Sorted words, a number glued to its unit ("350 ml" and "350ml" are one word)."""
    return " ".join(sorted(title_tokens(re.sub(r"(\d)\s+(?=[^\W\d_])", r"\1", title))))


def near_identical(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a, b).ratio() >= TITLE_SIMILARITY


def dedupe(candidates: Iterable[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    keys: list[str] = []  # title keys of `kept`, index for index
    for candidate in candidates:
        key = title_key(candidate.title)
        same = next(
            (
                i
                for i, other in enumerate(kept)
                if (other.source, other.source_id) == (candidate.source, candidate.source_id)
                or (candidate.gtin and other.gtin == candidate.gtin)
                or near_identical(keys[i], key)
            ),
            None,
        )
        if same is None:
            kept.append(candidate)
            keys.append(key)
        elif candidate.landed < kept[same].landed:
            kept[same], keys[same] = candidate, key
    return kept
