"""Keeping the search index in step with the catalog, from the catalog table's stream (SearchIndexer).

A batch is folded per product (its state before the batch's first record and after its last), then written
with one UpdateItem per posting list it touches. A list that cannot be written fails every record behind it;
the stream then delivers them again, and every write here is idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from nozzly.catalog.adapters.catalog_codec import product_from_data
from nozzly.catalog.domain.catalog import Product
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.search.adapters.search_index import KeyUpdate, SearchIndex
from nozzly.search.domain.search import index_change

WRITERS = 8  # concurrent UpdateItems per batch


@dataclass
class _Folded:
    before: Product | None
    after: Product | None
    sequences: list[str] = field(default_factory=list)


def _product(image: dict[str, Any] | None) -> Product | None:
    if not image:
        return None
    data = from_item(image)
    return product_from_data(data) if data.get("type") == "product" else None


def index_records(index: SearchIndex, records: list[dict[str, Any]]) -> set[str]:
    """Apply a batch of stream records (Lambda's DynamoDB event shape); the sequence numbers that failed."""
    folded: dict[tuple[str, str], _Folded] = {}
    failed: set[str] = set()
    for record in records:
        change = record["dynamodb"]
        sequence = str(change["SequenceNumber"])
        try:
            before, after = _product(change.get("OldImage")), _product(change.get("NewImage"))
        except (KeyError, ValueError, TypeError):  # a product the domain rejects: retried, then dropped by Lambda
            failed.add(sequence)
            continue
        either = after or before
        if either is None:
            continue  # not a product (the event source's filter normally keeps these away)
        slot = folded.setdefault((either.store_id, either.slug), _Folded(before, after))
        slot.after = after
        slot.sequences.append(sequence)
    updates: dict[tuple[str, str], KeyUpdate] = defaultdict(KeyUpdate)
    behind: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (store_id, slug), product in folded.items():
        change = index_change(product.before, product.after)
        for key, posting in change.writes.items():
            assert change.card is not None
            updates[store_id, key].writes[slug] = (posting, change.card)
            if key in change.added:
                updates[store_id, key].added.add(slug)
            behind[store_id, key] += product.sequences
        for key in change.removes:
            updates[store_id, key].removes.add(slug)
            behind[store_id, key] += product.sequences
    # Posting lists are independent items: write them side by side (the client is thread-safe).
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = pool.map(lambda item: index.apply(item[0][0], item[0][1], item[1]), updates.items())
        for (store_key, _), written in zip(updates.items(), results, strict=True):
            if not written:
                failed.update(behind[store_key])
    return failed
