"""A store's items as JSON Lines, and the rewrite that moves them to another store id. Plain code, no AWS.

A line is `{"Item": <DynamoDB JSON>}`, as DynamoDB's own export to S3 writes it: the low-level client's typed
values, so numbers stay the exact decimal strings (`{"N": "12.50"}`), sets stay sets (`SS`, `NS`, `BS`) and binary
is base64 (`B`, `BS`). Keys are sorted, so one item always encodes to the same bytes and checksums compare.

Where a store id lives (layers/common/nozzly/README.md, the adapters' docstrings):
- in key attributes (the table's and its indexes'), at known places: first (`{store}`, `{store}#...`), after a
  marker (`GUEST#`, `STORE#`, `ENDPOINT#`, `SQUARESTATE#{store}.{nonce}`), in a shopper's realm and username
  (`shopper:{store}#{store}#{email}`), or after a time (`{epoch}#{store}#...`: Square refreshes, review requests);
- in attributes named `store` or `store_id`, at any depth (a review, an invoice's document, a guest session);
- in images bucket keys anywhere in an item (`stores/{store}/...`, `uploads/{store}/...`).
Text that merely contains the id (a description, an email address at the store's domain) is left alone.
A review's key is a hash of its store, product and author (one review per author and product), so a review moved
to another store gets the key that store computes, wherever the key is part of its keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from nozzly.reviews.domain.reviews import author_key

Item = dict[str, Any]  # the low-level client's shape: {"pk": {"S": "..."}, "price": {"N": "12.5"}, ...}

STORE_ATTRIBUTES = frozenset({"store", "store_id"})
BUCKET_PREFIXES = ("stores/", "uploads/")


def encode(item: Item) -> str:
    """One JSON line (no newline) for one item."""
    return json.dumps({"Item": _to_json(item)}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def decode(line: str) -> Item:
    """The item of one JSON line, binary back to bytes."""
    item = json.loads(line)["Item"]
    return {name: _from_json(value) for name, value in item.items()}


def encode_lines(items: Iterable[Item]) -> bytes:
    return "".join(encode(item) + "\n" for item in items).encode()


def decode_lines(data: bytes) -> list[Item]:
    return [decode(line) for line in data.decode().splitlines() if line.strip()]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def item_key(item: Item, key_names: tuple[str, ...]) -> tuple[str, ...]:
    """The primary key of an item as a sortable tuple (`pk`, `sk` or `id`)."""
    return tuple(str(next(iter(item[name].values()))) for name in key_names if name in item)


def _to_json(value: Any) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for kind, inner in value.items():
            if kind == "B":
                out[kind] = _b64(inner)
            elif kind == "BS":
                out[kind] = sorted(_b64(b) for b in inner)
            elif kind in ("SS", "NS"):  # a set's order means nothing: sorted, one item has one encoding
                out[kind] = sorted(inner)
            else:
                out[kind] = _to_json(inner)
        return out
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for kind, inner in value.items():
            if kind == "B":
                out[kind] = base64.b64decode(inner)
            elif kind == "BS":
                out[kind] = [base64.b64decode(b) for b in inner]
            elif kind in ("M",):
                out[kind] = {k: _from_json(v) for k, v in inner.items()}
            elif kind == "L":
                out[kind] = [_from_json(v) for v in inner]
            else:
                out[kind] = inner
        return out
    return value


def _b64(data: bytes | bytearray | Any) -> str:
    raw = data if isinstance(data, bytes | bytearray) else bytes(data)
    return base64.b64encode(raw).decode()


class StoreRewrite:
    """Moves items from store id `old` to `new` (both slugs: `[a-z0-9-]`, so never holding `#` or `/`)."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        o = re.escape(old)
        self._key_rules = (
            (re.compile(rf"^{o}(?=#|$)"), new),
            (re.compile(rf"^(GUEST|STORE|ENDPOINT|SQUARESTATE)#{o}(?=[#.]|$)"), rf"\g<1>#{new}"),
            (re.compile(rf"^shopper:{o}#{o}(?=#)"), f"shopper:{new}#{new}"),
            (re.compile(rf"^shopper:{o}(?=#|$)"), f"shopper:{new}"),
            (re.compile(rf"^(\d+)#{o}(?=#|$)"), rf"\g<1>#{new}"),
        )
        self._bucket = re.compile(rf"^({'|'.join(re.escape(p) for p in BUCKET_PREFIXES)}){o}/")

    def key(self, value: str) -> str:
        for pattern, replacement in self._key_rules:
            value = pattern.sub(replacement, value, count=1)
        return value

    def bucket_key(self, value: str) -> str:
        return self._bucket.sub(rf"\g<1>{self.new}/", value, count=1)

    def item(self, item: Item, key_attributes: tuple[str, ...]) -> Item:
        if self.old == self.new:
            return item
        out: Item = {}
        for name, value in item.items():
            if name in key_attributes and "S" in value:
                out[name] = {"S": self.bucket_key(self.key(value["S"]))}
            else:
                out[name] = self._value(name, value)
        return self._review(out, key_attributes)

    def _review(self, item: Item, key_attributes: tuple[str, ...]) -> Item:
        if not all(name in item and "S" in item[name] for name in ("review_key", "product", "author")):
            return item
        old = item["review_key"]["S"]
        new = author_key(self.new, item["product"]["S"], item["author"]["S"])
        moved = {n: {"S": v["S"].replace(old, new)} if n in key_attributes and "S" in v else v for n, v in item.items()}
        return moved | {"review_key": {"S": new}}

    def _value(self, name: str, value: dict[str, Any]) -> dict[str, Any]:
        if "S" in value:
            text = value["S"]
            return {"S": self.new if name in STORE_ATTRIBUTES and text == self.old else self.bucket_key(text)}
        if "SS" in value:
            return {"SS": [self.bucket_key(text) for text in value["SS"]]}
        if "M" in value:
            return {"M": {k: self._value(k, v) for k, v in value["M"].items()}}
        if "L" in value:
            return {"L": [self._value(name, v) for v in value["L"]]}
        return value
