"""Keyword search, pure: what a product is indexed under, what a query looks up, and how hits are ranked.

The index is a set of posting lists keyed by strings (search/adapters/search_index.py stores one item per key):

- `T:<token>`  exact tokens of the title, brand, tags, SKUs and description;
- `P:<prefix>` proper prefixes (3+ characters) of title, brand, tag and SKU tokens: type-ahead;
- `D:<token minus one character>` one-deletion variants of title, brand and tag tokens of 4+ characters.

A query token q finds a product token t by exact match (T:q), as a prefix (P:q), or within one edit: t is
q with one character missing (T:del(q)), q with one character added (D:q), or one character replaced or two
neighbours swapped (D:del(q)) - the symmetric-delete scheme, checked against the stored token afterwards.
Every key of a query is fetched at once, so a search is one BatchGetItem.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from nozzly.catalog.domain.catalog import Product, StockStatus
from nozzly.kernel.domain.money import Money

MIN_PREFIX = 3
MIN_TYPO_LENGTH = 4  # shorter words have too many neighbours one edit away
MAX_QUERY_TOKENS = 6
MAX_QUERY_KEYS = 99  # BatchGetItem takes 100 keys; one is the store's catalog root
MAX_DESCRIPTION_TOKENS = 60
MAX_TOKEN_LENGTH = 40

_WORD = re.compile(r"[a-z0-9]+")
_TRANSLITERATE = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th", "ð": "d"})
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "your",
    }
)


# How much a token counts by where it was found.
TITLE_WEIGHT, KEYWORD_WEIGHT, DESCRIPTION_WEIGHT = 3, 2, 1


class Match(IntEnum):
    """How a query token matched a product token; the value is its quality in percent."""

    TYPO = 50
    PREFIX = 75
    EXACT = 100


@dataclass(frozen=True, slots=True)
class Posting:
    """A product's entry in one posting list: the best field it matched in, and the tokens behind the key."""

    weight: int
    tokens: tuple[str, ...]


def fold(text: str) -> str:
    folded = text.lower().translate(_TRANSLITERATE)
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")


def tokens(text: str) -> list[str]:
    """Lowercase ASCII words, accents folded, stop words and single letters dropped, in order of appearance."""
    return [t[:MAX_TOKEN_LENGTH] for t in _WORD.findall(fold(text)) if len(t) > 1 and t not in STOP_WORDS]


def compact(text: str) -> str:
    """A code as one token: 'MF-BLD-EMBER' -> 'mfbldember', so SKUs match with or without separators."""
    return "".join(_WORD.findall(fold(text)))[:MAX_TOKEN_LENGTH]


def prefixes(token: str) -> list[str]:
    return [token[:n] for n in range(MIN_PREFIX, len(token))]


def deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))} if len(token) >= MIN_TYPO_LENGTH else set()


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1: equal, one insertion/deletion, one substitution or one swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        if len(diffs) != 2:
            return False
        i, j = diffs
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _fields(product: Product) -> list[tuple[int, list[str], bool, bool]]:
    """(weight, tokens, prefixes indexed, typos indexed) for each searchable part of a product."""
    skus = [v.sku for v in product.variants]
    return [
        (TITLE_WEIGHT, tokens(product.title), True, True),
        (KEYWORD_WEIGHT, tokens(product.brand) if product.brand else [], True, True),
        (KEYWORD_WEIGHT, [t for tag in product.tags for t in tokens(tag)], True, True),
        (KEYWORD_WEIGHT, [compact(s) for s in skus] + [t for s in skus for t in tokens(s)], True, False),
        (DESCRIPTION_WEIGHT, list(dict.fromkeys(tokens(product.description)))[:MAX_DESCRIPTION_TOKENS], False, False),
    ]


def index_keys(product: Product) -> dict[str, Posting]:
    """Every posting-list key the product belongs to, with its entry there. Empty unless the shop shows it."""
    if not product.is_published:
        return {}
    entries: dict[str, tuple[int, set[str]]] = {}

    def add(key: str, weight: int, token: str) -> None:
        best, sources = entries.get(key, (0, set()))
        entries[key] = (max(best, weight), sources | {token})

    for weight, found, with_prefixes, with_typos in _fields(product):
        for token in found:
            if not token:
                continue
            add(f"T:{token}", weight, token)
            for prefix in prefixes(token) if with_prefixes else []:
                add(f"P:{prefix}", weight, token)
            for variant in deletions(token) if with_typos else set():
                add(f"D:{variant}", weight, token)
    # Exact keys need no source tokens: the key is the token.
    return {
        key: Posting(weight, () if key.startswith("T:") else tuple(sorted(sources)))
        for key, (weight, sources) in entries.items()
    }


@dataclass(frozen=True, slots=True)
class Lookup:
    """One key a query fetches: for which query token, and what a hit there means."""

    key: str
    token: str
    match: Match


def parse_query(text: str) -> list[str]:
    """The query's tokens (at most MAX_QUERY_TOKENS), plus the whole query compacted when it looks like a code."""
    found = list(dict.fromkeys(tokens(text)))[:MAX_QUERY_TOKENS]
    code = compact(text)
    if len(found) > 1 and len(code) >= MIN_PREFIX and re.search(r"\d|-", text) and code not in found:
        found.append(code)  # "MF-BLD" also as "mfbld", the way SKUs are indexed whole
    return found


def lookups(query_tokens: list[str]) -> list[Lookup]:
    """The keys to fetch, best kinds first, cut at MAX_QUERY_KEYS: typo keys of late tokens go first."""
    exact: list[Lookup] = []
    typo: list[Lookup] = []
    for token in query_tokens:
        exact.append(Lookup(f"T:{token}", token, Match.EXACT))
        if len(token) >= MIN_PREFIX:
            exact.append(Lookup(f"P:{token}", token, Match.PREFIX))
        if len(token) >= MIN_TYPO_LENGTH:
            typo.append(Lookup(f"D:{token}", token, Match.TYPO))
            for variant in sorted(deletions(token)):
                typo += [Lookup(f"T:{variant}", token, Match.TYPO), Lookup(f"D:{variant}", token, Match.TYPO)]
    seen: set[tuple[str, str]] = set()
    unique = []
    for lookup in exact + typo:
        if (lookup.key, lookup.token) not in seen:
            seen.add((lookup.key, lookup.token))
            unique.append(lookup)
    keys: list[str] = []
    kept = []
    for lookup in unique:
        if lookup.key not in keys:
            if len(keys) == MAX_QUERY_KEYS:
                continue
            keys.append(lookup.key)
        kept.append(lookup)
    return kept


@dataclass(frozen=True, slots=True)
class PostingList:
    """What the index returned for one key: entries by product slug, and how many products share the key."""

    entries: Mapping[str, Posting]
    size: int


@dataclass(order=True, slots=True)
class Hit:
    sort_key: tuple[int, float, str] = field(init=False, repr=False)
    slug: str
    matched: int  # query tokens the product matched
    score: float

    def __post_init__(self) -> None:
        self.sort_key = (-self.matched, -self.score, self.slug)


def _match_quality(lookup: Lookup, posting: Posting) -> int:
    """0 when a typo key's candidate is really two edits away (the symmetric-delete false positives)."""
    if lookup.match is not Match.TYPO:
        return int(lookup.match)
    if lookup.key.startswith("T:"):
        return int(Match.TYPO)  # the key is the product token: one deletion of the query token by construction
    return int(Match.TYPO) if any(within_one_edit(lookup.token, t) for t in posting.tokens) else 0


def rank(query_tokens: list[str], found: Mapping[str, PostingList], limit: int) -> list[Hit]:
    """Products ranked by how many query tokens they match, then by match quality x field weight x rarity."""
    best: dict[str, dict[str, float]] = {}  # slug -> query token -> best score
    for lookup in lookups(query_tokens):
        postings = found.get(lookup.key)
        if postings is None:
            continue
        rarity = 1 / math.log2(2 + postings.size)  # a key few products share says more
        for slug, posting in postings.entries.items():
            quality = _match_quality(lookup, posting)
            if quality:
                score = quality * posting.weight * rarity
                per_token = best.setdefault(slug, {})
                per_token[lookup.token] = max(per_token.get(lookup.token, 0.0), score)
    hits = [Hit(slug, len(scores), round(sum(scores.values()), 3)) for slug, scores in best.items()]
    return sorted(hits)[:limit]


def changed_keys(
    old: Mapping[str, Posting], new: Mapping[str, Posting], *, card_changed: bool
) -> tuple[dict[str, Posting], list[str]]:
    """What one product write changes in the index: entries to (re)write and keys to leave."""
    writes = {k: p for k, p in new.items() if card_changed or old.get(k) != p}
    removes = [k for k in old if k not in new]
    return writes, removes


@dataclass(frozen=True, slots=True)
class Card:
    """What a search hit shows, copied into every posting of the product so a search needs no product read."""

    title: str
    price: Money
    category: str
    stock_status: StockStatus
    image_key: str | None


def card_of(product: Product) -> Card:
    return Card(
        title=product.title,
        price=product.price,
        category=product.category,
        stock_status=product.stock_status,
        image_key=product.images[0].key if product.images else None,
    )


@dataclass(frozen=True, slots=True)
class IndexChange:
    """What one product's writes in a batch change in the index, from its state before to its state after."""

    writes: dict[str, Posting]  # key -> the product's entry, new or changed
    added: frozenset[str]  # keys of `writes` the product was not in before
    removes: list[str]
    card: Card | None


def index_change(before: Product | None, after: Product | None) -> IndexChange:
    old = index_keys(before) if before else {}
    new = index_keys(after) if after else {}
    card = card_of(after) if after and new else None
    card_changed = card != (card_of(before) if before and old else None)
    writes, removes = changed_keys(old, new, card_changed=card_changed)
    return IndexChange(writes, frozenset(k for k in writes if k not in old), removes, card)
