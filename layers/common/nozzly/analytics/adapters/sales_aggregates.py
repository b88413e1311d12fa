"""Sales aggregates in the analytics table; the only code that knows their items.

- `pk={store}, sk=DAY#{YYYY-MM-DD}`: one number attribute per day metric (analytics/domain/sales_contribution.py
  names them), changed only with ADD;
- `pk={store}, sk=PIPELINE`: the current order pipeline and the customer count, also ADD only;
- `pk={store}, sk=CONTRIB#{order id}`: the contribution applied for the order (`version`, `cells` as a map
  `{bucket}|{metric}` -> amount, `new_customer`);
- `pk={store}, sk=FIRST#{email, lower case}`: which order was the email's first (`order_id`).

An order's new contribution and the difference it makes to the counters are one transaction, conditioned on the
contribution's version read: a replay, an older record or a parallel worker fails the condition and changes
nothing. A day's item holds only what was sold that day (per variant too), so reading a range costs one query
per 1 MB of days, whatever the number of orders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from nozzly.analytics.domain.calendar import day_key
from nozzly.analytics.domain.sales_contribution import PIPELINE, Cell, buckets, parse_day
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_value
from nozzly.kernel.adapters.unit_of_work import MAX_TRANSACTION_ITEMS, WriteConflict

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

DAY = "DAY#"
CONTRIB = "CONTRIB#"
FIRST = "FIRST#"
_KEYS = frozenset({"pk", "sk"})


@dataclass(frozen=True, slots=True)
class Applied:
    """The contribution already counted for an order."""

    version: int
    cells: dict[Cell, int]
    new_customer: bool


@dataclass(frozen=True, slots=True)
class DayCounters:
    day: date
    counters: dict[str, int]


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _bucket_sk(bucket: str) -> str:
    return PIPELINE if bucket == PIPELINE else f"{DAY}{bucket}"


def _cells_map(cells: Mapping[Cell, int]) -> dict[str, int]:
    return {f"{bucket}|{metric}": amount for (bucket, metric), amount in cells.items()}


def _cells_from(data: Mapping[str, Any]) -> dict[Cell, int]:
    found: dict[Cell, int] = {}
    for name, amount in data.items():
        bucket, _, metric = str(name).partition("|")
        found[(bucket, metric)] = int(amount)
    return found


def _counters(data: Mapping[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in data.items() if k not in _KEYS and isinstance(v, int | float)}


class SalesAggregates:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def applied(self, store_id: str, order_id: str) -> Applied | None:
        found = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, f"{CONTRIB}{order_id}"), ConsistentRead=True
        )
        if "Item" not in found:
            return None
        data = from_item(found["Item"])
        return Applied(int(data["version"]), _cells_from(data.get("cells") or {}), bool(data.get("new_customer")))

    def first_order(self, store_id: str, email: str) -> str | None:
        """The order that made the email a customer of the store; None if none was counted yet."""
        found = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, f"{FIRST}{email.lower()}"), ConsistentRead=True
        )
        return str(from_item(found["Item"])["order_id"]) if "Item" in found else None

    def apply(
        self,
        store_id: str,
        order_id: str,
        *,
        version: int,
        cells: Mapping[Cell, int],
        delta: Mapping[Cell, int],
        previous: Applied | None,
        new_customer: bool,
        claim_email: str | None,
    ) -> None:
        """Record the order's contribution at `version` and add `delta` to the counters, all or nothing.

        Raises WriteConflict when the contribution changed since `previous` was read, or `claim_email` was
        claimed by another order meanwhile: nothing was written; read again and retry.
        """
        record: dict[str, Any] = {
            "Put": {
                "TableName": self.table,
                "Item": {
                    **_key(store_id, f"{CONTRIB}{order_id}"),
                    "type": {"S": "contribution"},
                    "version": {"N": str(version)},
                    "new_customer": {"BOOL": new_customer},
                    "cells": to_value(_cells_map(cells)),
                },
                **(
                    {"ConditionExpression": "attribute_not_exists(pk)"}
                    if previous is None
                    else {
                        "ConditionExpression": "version = :seen",
                        "ExpressionAttributeValues": {":seen": {"N": str(previous.version)}},
                    }
                ),
            }
        }
        writes = [record, *(self._add(store_id, bucket, metrics) for bucket, metrics in buckets(delta).items())]
        if claim_email is not None:
            writes.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": {**_key(store_id, f"{FIRST}{claim_email.lower()}"), "order_id": {"S": order_id}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
        if len(writes) > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"order {order_id} touches {len(writes)} aggregate items, more than one transaction")
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.transact_write_items(TransactItems=writes)  # type: ignore[arg-type]
        except dynamodb.exceptions.TransactionCanceledException as error:
            raise WriteConflict(frozenset({"contribution"})) from error

    def _add(self, store_id: str, bucket: str, metrics: Mapping[str, int]) -> dict[str, Any]:
        names = {f"#m{i}": metric for i, metric in enumerate(sorted(metrics))}
        values = {f":v{i}": {"N": str(metrics[metric])} for i, metric in enumerate(sorted(metrics))}
        clauses = ", ".join(f"#m{i} :v{i}" for i in range(len(names)))
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(store_id, _bucket_sk(bucket)),
                "UpdateExpression": f"ADD {clauses}",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def days(self, store_id: str, first: date, last: date) -> list[DayCounters]:
        """The counters of every day in [first, last] that sold or changed anything, oldest first."""
        dynamodb = dynamodb_client(self._dynamodb)
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
            "ExpressionAttributeValues": {
                ":pk": {"S": store_id},
                ":first": {"S": f"{DAY}{day_key(first)}"},
                ":last": {"S": f"{DAY}{day_key(last)}"},
            },
        }
        found: list[DayCounters] = []
        while True:
            page = dynamodb.query(**request)
            for item in page.get("Items", []):
                data = from_item(item)
                found.append(DayCounters(parse_day(str(data["sk"])[len(DAY) :]), _counters(data)))
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def pipeline_read(self, store_id: str) -> Read[dict[str, int]]:
        """The PIPELINE counters, to be read together with other items; None for a store with no orders."""
        return Read(self.table, _key(store_id, PIPELINE), _counters)

    def pipeline(self, store_id: str) -> dict[str, int]:
        found = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(store_id, PIPELINE))
        return _counters(from_item(found["Item"])) if "Item" in found else {}
