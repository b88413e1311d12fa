"""The storefront search index: one item per posting list in the search table (README.md, "Search table").

Item: pk `{store}#{key}` (key `T:ember`, `P:emb`, `D:embr`; see search/domain/search.py), sk `POSTINGS`. Each product
in the list is one top-level attribute `@{slug}` holding its entry and its card, so writers of different products
never overwrite each other and need no read. `n` counts the entries: a list stops taking new products at
POSTINGS_CAP, which bounds an item (and a search's read) at about 50 KB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nozzly.catalog.adapters.catalog_codec import catalog_root_sk, is_deleted_container
from nozzly.catalog.domain.catalog import StockStatus
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_value
from nozzly.kernel.domain.errors import NotFound
from nozzly.kernel.domain.money import Money
from nozzly.search.domain.search import Card, Posting, PostingList

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

POSTINGS_SK = "POSTINGS"
POSTINGS_CAP = 250
_COUNT = "n"
_ENTRY_PREFIX = "@"  # slugs never contain '@', so an entry never collides with pk, sk or n


def _pk(store_id: str, key: str) -> str:
    return f"{store_id}#{key}"


def _card_data(card: Card) -> dict[str, Any]:
    data: dict[str, Any] = {
        "t": card.title,
        "a": card.price.amount,
        "cu": card.price.currency,
        "g": card.category,
        "s": card.stock_status.value,
    }
    if card.image_key:
        data["i"] = card.image_key
    return data


def _card(data: dict[str, Any]) -> Card:
    return Card(
        title=data["t"],
        price=Money(data["a"], data["cu"]),
        category=data["g"],
        stock_status=StockStatus(data["s"]),
        image_key=data.get("i"),
    )


@dataclass
class KeyUpdate:
    """Everything a batch changes in one posting list, written with one UpdateItem."""

    writes: dict[str, tuple[Posting, Card]] = field(default_factory=dict)  # slug -> entry
    added: set[str] = field(default_factory=set)  # slugs of `writes` new to the list
    removes: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class SearchResult:
    postings: dict[str, PostingList]  # key -> list (keys without an item are absent)
    cards: dict[str, Card]  # slug -> card


class SearchIndex:
    def __init__(self, search_table: str, catalog_table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = search_table
        self.catalog_table = catalog_table

    # ---- reads: one BatchGetItem
    def lookup(self, store_id: str, keys: list[str]) -> SearchResult:
        """The posting lists of `keys` and the store's catalog root (a deleted or unknown store is a 404)."""
        request: dict[str, Any] = {
            self.catalog_table: {"Keys": [{"pk": {"S": store_id}, "sk": {"S": catalog_root_sk()}}]},
        }
        if keys:
            request[self.table] = {"Keys": [{"pk": {"S": _pk(store_id, k)}, "sk": {"S": POSTINGS_SK}} for k in keys]}
        catalog: list[dict[str, Any]] = []
        found: list[dict[str, Any]] = []
        while request:  # unprocessed keys only under throttling; the answer must not depend on it
            response = dynamodb_client(self._dynamodb).batch_get_item(RequestItems=request)
            catalog += [from_item(i) for i in response.get("Responses", {}).get(self.catalog_table, [])]
            found += [from_item(i) for i in response.get("Responses", {}).get(self.table, [])]
            request = response.get("UnprocessedKeys") or {}
        if not catalog or is_deleted_container(catalog[0]):
            raise NotFound(f"store {store_id!r} not found", field="store")
        prefix = f"{store_id}#"
        postings: dict[str, PostingList] = {}
        cards: dict[str, Card] = {}
        for item in found:
            entries = {}
            for name, value in item.items():
                if name.startswith(_ENTRY_PREFIX):
                    slug = name[len(_ENTRY_PREFIX) :]
                    entries[slug] = Posting(int(value["w"]), tuple(value.get("k", [])))
                    cards.setdefault(slug, _card(value["c"]))
            postings[item["pk"][len(prefix) :]] = PostingList(entries, max(int(item.get(_COUNT, 0)), len(entries)))
        return SearchResult(postings, cards)

    # ---- writes (SearchIndexer): one UpdateItem per posting list a batch changes
    def apply(self, store_id: str, key: str, update: KeyUpdate) -> bool:
        """Write one list's changes; False if DynamoDB refused them (the caller retries the records behind it).

        New products beyond POSTINGS_CAP are left out (the list is saturated); changes to entries already
        there and removals always apply.
        """
        dynamodb = dynamodb_client(self._dynamodb)
        for with_new in (True, False):
            request = self._request(store_id, key, update, with_new=with_new)
            if request is None:
                return True
            try:
                dynamodb.update_item(**request)
                return True
            except dynamodb.exceptions.ConditionalCheckFailedException:
                continue  # the list is full: write again without the new entries
            except dynamodb.exceptions.ClientError:
                return False
        return True

    def _request(self, store_id: str, key: str, update: KeyUpdate, *, with_new: bool) -> dict[str, Any] | None:
        writes = {s: e for s, e in update.writes.items() if with_new or s not in update.added}
        if not writes and not update.removes:
            return None
        added = len(update.added) if with_new else 0
        names: dict[str, str] = {"#n": _COUNT}
        values: dict[str, Any] = {":delta": {"N": str(added - len(update.removes))}, ":zero": {"N": "0"}}
        sets = ["#n = if_not_exists(#n, :zero) + :delta"]
        for i, (slug, (posting, card)) in enumerate(sorted(writes.items())):
            names[f"#w{i}"] = _ENTRY_PREFIX + slug
            entry: dict[str, Any] = {"w": posting.weight, "c": _card_data(card)}
            if posting.tokens:
                entry["k"] = list(posting.tokens)
            values[f":w{i}"] = to_value(entry)
            sets.append(f"#w{i} = :w{i}")
        removes = []
        for i, slug in enumerate(sorted(update.removes)):
            names[f"#r{i}"] = _ENTRY_PREFIX + slug
            removes.append(f"#r{i}")
        request: dict[str, Any] = {
            "TableName": self.table,
            "Key": {"pk": {"S": _pk(store_id, key)}, "sk": {"S": POSTINGS_SK}},
            "UpdateExpression": "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else ""),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        if added:  # only growth is capped
            request["ConditionExpression"] = "attribute_not_exists(#n) OR #n <= :room"
            values[":room"] = {"N": str(POSTINGS_CAP - added)}
        return request
