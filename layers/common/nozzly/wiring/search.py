"""Search: the storefront search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.search.adapters.search_index import SearchIndex


@factory
def search_index() -> SearchIndex:
    from nozzly.search.adapters.search_index import SearchIndex
    from nozzly.settings import SearchSettings, load

    s = load(SearchSettings)
    return SearchIndex(s.search_table, s.catalog_table)
