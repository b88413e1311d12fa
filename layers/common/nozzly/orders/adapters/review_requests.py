"""Review requests in the orders table: `pk={store}, sk=REVIEWREQ#{order}`, one item per order, ever.

Scheduled with a Put conditioned on `attribute_not_exists(pk)`, so a delivery event delivered twice schedules
one request. While pending it sits in gsi1 under the UTC day it falls due (`gsi1pk=REVIEWDUE#{yyyy-mm-dd}`,
`gsi1sk={due_at, 10 digits}#{store}#{order}`; shoppers' orders use `{store}#CUSTOMER#...` there, so the two
never meet), and the hourly job queries the due days instead of scanning. Once handled (sent or dropped) it
leaves the index (REMOVE gsi1pk, gsi1sk) and stays as the record that the order had its request; the stream's
consumers only read `type = order` items.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.orders.domain.review_requests import PendingReview, due_day

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "REVIEWREQ#"
INDEX = "gsi1"


def _key(store_id: str, order_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{order_id}"}}


class ReviewRequestsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def schedule(self, request: PendingReview, now: float) -> bool:
        """False when the order has (or had) its request already."""
        dynamodb = dynamodb_client(self._dynamodb)
        item = {
            "pk": request.store_id,
            "sk": f"{PREFIX}{request.order_id}",
            "type": "review_request",
            "status": "pending",
            "due_at": request.due_at,
            "scheduled_at": int(now),
            "gsi1pk": due_day(request.due_at),
            "gsi1sk": f"{request.due_at:010d}#{request.store_id}#{request.order_id}",
        }
        try:
            dynamodb.put_item(TableName=self.table, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)")
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def due(self, day: str, now: float) -> Iterator[PendingReview]:
        """Pending requests of every store in the index partition `day`, due at or before `now`."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": INDEX,
            "KeyConditionExpression": "gsi1pk = :day AND gsi1sk < :after",
            "ExpressionAttributeValues": {":day": {"S": day}, ":after": {"S": f"{int(now) + 1:010d}"}},
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            for item in response["Items"]:
                data = from_item(item)
                yield PendingReview(data["pk"], str(data["sk"]).removeprefix(PREFIX), int(data["due_at"]))
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def handled(self, request: PendingReview, outcome: str, now: float) -> None:
        """Out of the index for good: `outcome` says why (sent, off, opted_out, too_late, gone)."""
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=_key(request.store_id, request.order_id),
            UpdateExpression="SET #status = :outcome, handled_at = :now REMOVE gsi1pk, gsi1sk",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_item({":outcome": outcome, ":now": int(now)}),
        )
