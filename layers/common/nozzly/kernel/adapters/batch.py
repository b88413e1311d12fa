"""Reading items of several aggregates in one DynamoDB call (BatchGetItem across tables).

Each repository says how to find and decode its own item (a Read); this module only sends them together,
consistently, and follows UnprocessedKeys. The checkout uses it to judge a request with one read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nozzly.kernel.adapters.aws import client
from nozzly.kernel.adapters.dynamo import from_item

T = TypeVar("T")
MAX_KEYS = 100  # BatchGetItem's limit per call


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    table: str
    key: dict[str, dict[str, str]]
    decode: Callable[[dict[str, Any]], T]  # from the item as plain data


def _identity(read: Read[Any]) -> tuple[str, str, str]:
    return read.table, read.key["pk"]["S"], read.key["sk"]["S"]


def read_together(reads: list[Read[Any]]) -> list[Any]:
    """Each read's decoded item, or None where there is none, in the order given. One call per 100 keys."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    unique = list(dict.fromkeys(_identity(r) for r in reads))
    for start in range(0, len(unique), MAX_KEYS):
        request: dict[str, Any] = {}
        for table, pk, sk in unique[start : start + MAX_KEYS]:
            entry = request.setdefault(table, {"Keys": [], "ConsistentRead": True})
            entry["Keys"].append({"pk": {"S": pk}, "sk": {"S": sk}})
        while request:
            response = client("dynamodb").batch_get_item(RequestItems=request)
            for table, items in response["Responses"].items():
                for item in items:
                    found[(table, item["pk"]["S"], item["sk"]["S"])] = from_item(item)
            request = response.get("UnprocessedKeys") or {}
    return [None if (data := found.get(_identity(r))) is None else r.decode(data) for r in reads]
