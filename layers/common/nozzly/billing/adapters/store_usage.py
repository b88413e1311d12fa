"""One store's usage counters (stores table), each moved in the transaction that creates or deletes the thing.

| item | pk | sk | attributes |
|---|---|---|---|
| store usage | `{store}` | `USAGE` | products (undeleted), webhook_endpoints, staff_seats |

A counter is seeded once from a real count (`SET n = :count + 1` on `attribute_not_exists(n)`: a store whose
products predate billing, e.g. an imported one), then only moves by ADD in a conditional Update: up only while
below the plan's limit (`n < :max`), down only while above zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.billing.domain.plans import Limit
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.unit_of_work import Write

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SK = "USAGE"
# The limit each counter attribute is judged against.
COUNTERS: dict[Limit, str] = {
    Limit.PRODUCTS_PER_STORE: "products",
    Limit.WEBHOOK_ENDPOINTS: "webhook_endpoints",
    Limit.STAFF_SEATS: "staff_seats",  # members besides the owner (taken when an invitation is accepted)
}


@dataclass(frozen=True, slots=True)
class StoreUsage:
    store_id: str
    counts: dict[Limit, int]  # only the counters already seeded

    def used(self, limit: Limit) -> int | None:
        """The count, or None when it was never seeded."""
        return self.counts.get(limit)


def _key(store_id: str) -> dict[str, Any]:
    return {"pk": {"S": store_id}, "sk": {"S": SK}}


def _from_data(data: dict[str, Any]) -> StoreUsage:
    return StoreUsage(
        store_id=data["pk"],
        counts={limit: data[attribute] for limit, attribute in COUNTERS.items() if attribute in data},
    )


def empty(store_id: str) -> StoreUsage:
    return StoreUsage(store_id, {})


class StoreUsageRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def read(self, store_id: str) -> Read[StoreUsage]:
        return Read(self.table, _key(store_id), _from_data)

    def taken_op(self, store_id: str, limit: Limit, maximum: int, *, seed: int | None = None) -> Write:
        """One more, only while below the plan's maximum (what makes concurrent creates at the limit safe).

        With `seed` (the counter was never written): the real count plus this one, only if still unwritten.
        """
        counter = COUNTERS[limit]
        if seed is not None:
            update, condition = "SET #n = :next", "attribute_not_exists(#n)"
            values = {":next": {"N": str(seed + 1)}}
        else:
            update, condition = "ADD #n :one", "#n < :max"
            values = {":one": {"N": "1"}, ":max": {"N": str(maximum)}}
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(store_id),
                "UpdateExpression": update,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#n": counter},
                "ExpressionAttributeValues": values,
            }
        }

    def released_op(self, store_id: str, limit: Limit) -> Write:
        """One fewer, never below zero (the caller adds it only when it read a positive count)."""
        counter = COUNTERS[limit]
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(store_id),
                "UpdateExpression": "ADD #n :minus",
                "ConditionExpression": "#n > :zero",
                "ExpressionAttributeNames": {"#n": counter},
                "ExpressionAttributeValues": {":minus": {"N": "-1"}, ":zero": {"N": "0"}},
            }
        }
