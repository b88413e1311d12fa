"""Operators' free-text product search (`q` of the admin product list): which products a query matches.

A product matches when every word of the query starts a word of its title (case, accents and script folded
by python-slugify, as the storefront's title keys are), when the query is a variant's SKU or the start of one
(case does not matter, as for SKU uniqueness), or when it is the product's slug.
"""

from __future__ import annotations

from dataclasses import dataclass

from slugify import slugify

from nozzly.catalog.domain.catalog import Product
from nozzly.catalog.domain.catalog_rules import sku_key
from nozzly.kernel.domain.errors import InvalidInput

MAX_QUERY_LENGTH = 100


def folded_words(text: str) -> tuple[str, ...]:
    """Lowercase ASCII words: `Élan Noël` is ("elan", "noel"); punctuation and emoji separate or vanish."""
    return tuple(w for w in slugify(text).split("-") if w)


@dataclass(frozen=True, slots=True)
class ProductQuery:
    text: str
    words: tuple[str, ...]
    sku: str

    def matches(self, product: Product) -> bool:
        if self.text.lower() == product.slug:
            return True
        if self.sku and any(sku_key(v.sku).startswith(self.sku) for v in product.variants):
            return True
        if not self.words:
            return False
        title = folded_words(product.title)
        return all(any(t.startswith(w) for t in title) for w in self.words)


def product_query(q: str | None) -> ProductQuery | None:
    """None when there is nothing to search for (absent or blank: the list is unfiltered)."""
    if q is None:
        return None
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"q is longer than {MAX_QUERY_LENGTH} characters", field="q")
    text = q.strip()
    if not text:
        return None
    return ProductQuery(text=text, words=folded_words(text), sku=sku_key(text))
