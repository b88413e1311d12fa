"""Storefront visits in the analytics table; the only code that knows their items.

- `pk={store}, sk=VISITS#{YYYY-MM-DD}`: the store's day: page_views, product_views, searches, add_to_carts,
  checkouts_started (numbers, only ever ADDed), `sketch` (binary: the day's distinct visitors, sketches.py) and
  `version` (number, one more on every sketch change);
- `pk={store}, sk=PVISITS#{YYYY-MM-DD}#{product}`: one product's day: views, add_to_carts, sketch, version.

A batch's counters and its visitor's sketch change in one UpdateItem per item. When the visitor is new to the
sketch, the update is conditioned on the version read, so two batches at once never lose each other's visitor:
the loser reads again and retries. When the sketch already holds the visitor, the counters are ADDed without a
condition. Reading a range is two Queries (store days, product days), one more per 1 MB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from nozzly.analytics.adapters import sketches
from nozzly.analytics.domain.calendar import day_key
from nozzly.analytics.domain.visits import DayTally, DayVisits, ProductVisits, VisitFigures
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.kernel.adapters.unit_of_work import WriteConflict

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

VISITS = "VISITS#"
PVISITS = "PVISITS#"
ATTEMPTS = 5  # per item; each conflict means another batch got in first, so the next read sees it
_STORE_COUNTERS = ("page_views", "product_views", "searches", "add_to_carts", "checkouts_started")


@dataclass(frozen=True, slots=True)
class _Stored:
    version: int
    sketch: bytes | None


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _binary(value: Any) -> bytes | None:
    if value is None:
        return None
    return bytes(getattr(value, "value", value))  # boto3's Binary wraps the bytes


def _stored(data: dict[str, Any]) -> _Stored:
    return _Stored(int(data.get("version") or 0), _binary(data.get("sketch")))


def _int(data: Mapping[str, Any], name: str) -> int:
    return int(data.get(name) or 0)


class VisitsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    # ---- writing
    def record(self, store_id: str, tally: DayTally) -> None:
        """Add one visitor's batch to its day: the store's item and each product's.

        Raises WriteConflict when an item's sketch kept changing under us for ATTEMPTS reads; items already
        written stay written (each item is counted once: nothing is retried that succeeded)."""
        day = day_key(tally.day)
        pending: dict[str, dict[str, int]] = {f"{VISITS}{day}": tally.store.as_dict()}
        for product, counts in tally.products.items():
            pending[f"{PVISITS}{day}#{product}"] = counts.as_dict()
        for _ in range(ATTEMPTS):
            sks = list(pending)
            found = read_together([Read(self.table, _key(store_id, sk), _stored) for sk in sks])
            for sk, stored in zip(sks, found, strict=True):
                if self._apply(store_id, sk, pending[sk], stored, tally.visitor):
                    del pending[sk]
            if not pending:
                return
        raise WriteConflict(frozenset({"visits"}))

    def _apply(self, store_id: str, sk: str, counters: Mapping[str, int], stored: _Stored | None, visitor: str) -> bool:
        """One conditional UpdateItem; False when another writer changed the sketch since it was read."""
        before = stored.sketch if stored else None
        after = sketches.with_visitor(before, visitor)
        names = {f"#c{i}": name for i, name in enumerate(counters)}
        values: dict[str, Any] = {f":c{i}": {"N": str(n)} for i, n in enumerate(counters.values())}
        adds = [f"#c{i} :c{i}" for i in range(len(counters))]
        request: dict[str, Any] = {"TableName": self.table, "Key": _key(store_id, sk)}
        if after == before:
            if not adds:
                return True
            request["UpdateExpression"] = "ADD " + ", ".join(adds)
        else:
            version = stored.version if stored else 0
            names |= {"#v": "version", "#s": "sketch"}
            values |= {":sketch": {"B": after}, ":next": {"N": str(version + 1)}}
            update = "SET #s = :sketch, #v = :next"
            request["UpdateExpression"] = update + (" ADD " + ", ".join(adds) if adds else "")
            if version:
                request["ConditionExpression"] = "#v = :seen"
                values[":seen"] = {"N": str(version)}
            else:
                request["ConditionExpression"] = "attribute_not_exists(#v)"
        request["ExpressionAttributeNames"] = names
        request["ExpressionAttributeValues"] = values
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(**request)
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # ---- reading
    def between(self, store_id: str, first: date, last: date) -> VisitFigures:
        """The store's figures for the days first..last (store-local, both included): per day, per product
        summed over the range, distinct visitors over the whole range (sketches merged)."""
        store_days = self._query(store_id, f"{VISITS}{day_key(first)}", f"{VISITS}{day_key(last)}")
        # "$" sorts right after "#": the bound takes every product of the last day.
        product_days = self._query(store_id, f"{PVISITS}{day_key(first)}#", f"{PVISITS}{day_key(last)}$")
        days = [
            DayVisits(
                day=date.fromisoformat(str(data["sk"])[len(VISITS) :]),
                **{name: _int(data, name) for name in _STORE_COUNTERS},
                visitors=sketches.distinct([s] if (s := _binary(data.get("sketch"))) else []),
            )
            for data in store_days
        ]
        views: dict[str, int] = {}
        adds: dict[str, int] = {}
        product_sketches: dict[str, list[bytes]] = {}
        for data in product_days:
            product = str(data["sk"])[len(PVISITS) :].partition("#")[2]
            views[product] = views.get(product, 0) + _int(data, "views")
            adds[product] = adds.get(product, 0) + _int(data, "add_to_carts")
            if (sketch := _binary(data.get("sketch"))) is not None:
                product_sketches.setdefault(product, []).append(sketch)
        products = {
            product: ProductVisits(
                product, views[product], sketches.distinct(product_sketches.get(product, [])), adds[product]
            )
            for product in views
        }
        total = sketches.distinct(s for data in store_days if (s := _binary(data.get("sketch"))) is not None)
        return VisitFigures(days, products, total)

    def _query(self, store_id: str, low: str, high: str) -> list[dict[str, Any]]:
        dynamodb = dynamodb_client(self._dynamodb)
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":low": {"S": low}, ":high": {"S": high}},
        }
        found: list[dict[str, Any]] = []
        while True:
            page = dynamodb.query(**request)
            found.extend(from_item(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
