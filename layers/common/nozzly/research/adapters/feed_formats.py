"""A feed's bytes as rows of field name -> text: CSV (header row), JSON, Google Merchant XML (RSS or Atom).

XML is parsed with defusedxml (entity expansion and external entities refused: a feed is untrusted input).
Nested Merchant fields are flattened with a dot (`<g:shipping><g:price>` is `shipping.price`); a repeated
field keeps its first value (Merchant repeats `shipping` per country; the first is the feed's default).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from nozzly.research.domain.feeds import FeedFormat

Rows = list[dict[str, str]]


class UnreadableFeed(ValueError):
    """The body is not the format the feed's settings name."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_rows(body: bytes) -> Rows:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException) as fault:
        raise UnreadableFeed(f"not a Merchant XML feed: {fault}") from None
    rows = []
    for item in (e for e in root.iter() if _local(e.tag) in ("item", "entry")):
        row: dict[str, str] = {}
        for child in item:
            name = _local(child.tag)
            if len(child):
                for part in child:
                    row.setdefault(f"{name}.{_local(part.tag)}", (part.text or "").strip())
            else:
                row.setdefault(name, (child.text or "").strip())
        rows.append(row)
    return rows


def _json_rows(body: bytes) -> Rows:
    try:
        data: Any = json.loads(body)
    except ValueError as fault:
        raise UnreadableFeed(f"not JSON: {fault}") from None
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UnreadableFeed('a JSON feed is a list of products or {"products": [...]}')
    return [{str(k): "" if v is None else str(v) for k, v in item.items()} for item in items if isinstance(item, dict)]


def _csv_rows(body: bytes) -> Rows:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFeed("a CSV feed must be UTF-8") from None
    return [{k: v or "" for k, v in row.items() if k} for row in csv.DictReader(io.StringIO(text))]


def rows(body: bytes, kind: FeedFormat) -> Rows:
    if kind is FeedFormat.GOOGLE_MERCHANT:
        return _xml_rows(body)
    return _json_rows(body) if kind is FeedFormat.JSON else _csv_rows(body)
