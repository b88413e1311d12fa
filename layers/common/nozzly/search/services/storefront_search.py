"""Storefront search: a query's keys fetched in one call, ranked in code (search/domain/search.py)."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.search.adapters.search_index import SearchIndex
from nozzly.search.domain import search


@dataclass(frozen=True, slots=True)
class Found:
    slug: str
    card: search.Card
    matched: int
    score: float


def run(index: SearchIndex, store_id: str, text: str, limit: int) -> tuple[list[str], list[Found]]:
    """The query's tokens and its best hits. A query without a searchable word is a 400."""
    query_tokens = search.parse_query(text)
    if not query_tokens:
        raise InvalidInput("the query needs a word of two or more letters or digits", field="q")
    lookups = search.lookups(query_tokens)
    found = index.lookup(store_id, list(dict.fromkeys(lookup.key for lookup in lookups)))
    hits = search.rank(query_tokens, found.postings, limit)
    return query_tokens, [Found(h.slug, found.cards[h.slug], h.matched, h.score) for h in hits]
