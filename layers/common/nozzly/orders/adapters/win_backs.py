"""Win-backs in the orders table: `pk={store}, sk=WINBACK#{email}`, one item per address and store: its last
order's time and when its win-back falls due.

Each order Puts it, conditioned on `attribute_not_exists(pk) OR ordered_at < :at` (an older order's late event
never moves the window back). While pending it sits in gsi1 under the UTC day it falls due
(`gsi1pk=WINBACKDUE#{yyyy-mm-dd}`, `gsi1sk={due_at, 10 digits}#{store}#{email}`; shoppers' orders use
`{store}#CUSTOMER#...` and review requests `REVIEWDUE#...` there, so they never meet): the daily job queries the
due days instead of scanning. Handled (sent or dropped), it leaves the index, conditioned on the window read, so
an order placed meanwhile keeps its new window pending.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.orders.domain.win_back import LastOrder, due_day

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "WINBACK#"
INDEX = "gsi1"


def _key(store_id: str, email: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{email}"}}


class WinBacksRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def ordered(self, last: LastOrder, now: float) -> bool:
        """The address's new window; False when a later order is recorded already."""
        dynamodb = dynamodb_client(self._dynamodb)
        item = {
            "pk": last.store_id,
            "sk": f"{PREFIX}{last.email}",
            "type": "win_back",
            "status": "pending",
            "email": last.email,
            "ordered_at": last.ordered_at,
            "due_at": last.due_at,
            "recorded_at": int(now),
            "gsi1pk": due_day(last.due_at),
            "gsi1sk": f"{last.due_at:010d}#{last.store_id}#{last.email}",
        }
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(pk) OR ordered_at < :at",
                ExpressionAttributeValues={":at": {"N": str(last.ordered_at)}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def due(self, day: str, now: float) -> Iterator[LastOrder]:
        """Pending win-backs of every store in the index partition `day`, due at or before `now`."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": INDEX,
            "KeyConditionExpression": "gsi1pk = :day AND gsi1sk < :after",
            "ExpressionAttributeValues": {":day": {"S": day}, ":after": {"S": f"{int(now) + 1:010d}"}},
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            for item in response["Items"]:
                d = from_item(item)
                yield LastOrder(str(d["pk"]), str(d["email"]), int(d["ordered_at"]), int(d["due_at"]))
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def handled(self, last: LastOrder, outcome: str, now: float) -> None:
        """Out of the index for this window: `outcome` says why (sent, off, opted_out, too_late, sent_already)."""
        dynamodb = dynamodb_client(self._dynamodb)
        # A newer order opened a new window meanwhile: it stays pending.
        with suppress(dynamodb.exceptions.ConditionalCheckFailedException):
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(last.store_id, last.email),
                UpdateExpression="SET #status = :outcome, handled_at = :now REMOVE gsi1pk, gsi1sk",
                ConditionExpression="ordered_at = :at",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":outcome": outcome, ":now": int(now), ":at": last.ordered_at}),
            )
