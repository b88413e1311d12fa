"""An account's monthly usage (stores table): the counters a plan limits per calendar month.

| item | pk | sk | attributes |
|---|---|---|---|
| account month | `ACCOUNT#{sub}` | `USAGE#{YYYY-MM}` | ai_imports |

A month's item starts at its first counted use: a new month starts at zero without any job resetting it.
A counter only moves by ADD in a conditional Update, up only while below the plan's limit, in the transaction
that creates the thing counted (an import's run), so concurrent creates at the limit cannot both pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.billing.domain.plans import Limit
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.unit_of_work import Write

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

# The limit each counter attribute is judged against.
COUNTERS: dict[Limit, str] = {Limit.AI_IMPORTS_PER_MONTH: "ai_imports"}


def _key(account: str, month: str) -> dict[str, Any]:
    return {"pk": {"S": f"ACCOUNT#{account}"}, "sk": {"S": f"USAGE#{month}"}}


def _from_data(data: dict[str, Any]) -> dict[Limit, int]:
    return {limit: int(data[attribute]) for limit, attribute in COUNTERS.items() if attribute in data}


class AccountMonthsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def read(self, account: str, month: str) -> Read[dict[Limit, int]]:
        """The month's counts (an absent item or counter: nothing used yet)."""
        return Read(self.table, _key(account, month), _from_data)

    def taken_op(self, account: str, month: str, limit: Limit, maximum: int) -> Write:
        """One more this month, only while below the plan's maximum."""
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(account, month),
                "UpdateExpression": "ADD #n :one",
                "ConditionExpression": "attribute_not_exists(#n) OR #n < :max",
                "ExpressionAttributeNames": {"#n": COUNTERS[limit]},
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":max": {"N": str(maximum)}},
            }
        }
