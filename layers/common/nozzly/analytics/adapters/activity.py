"""The recent-activity feed in the analytics table; the only code that knows its items.

`pk={store}, sk=ACTIVITY#{event time, epoch ms, 13 digits}#{event id}`: kind, text, ref (absent: none), at
(epoch seconds) and expires_at (TTL, KEEP_DAYS after the event). The event id is in the key, so a redelivered
event rewrites its own item; the time leads, so a backwards Query reads the newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.analytics.domain.activity import KEEP_DAYS, Activity, ActivityEvent
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

__all__ = ["ACTIVITY", "ActivityLog", "activity_sk"]

ACTIVITY = "ACTIVITY#"


def activity_sk(at_ms: int, event_id: str) -> str:
    return f"{ACTIVITY}{at_ms:013d}#{event_id}"


class ActivityLog:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def put(self, event: ActivityEvent, activity: Activity, store_id: str) -> None:
        """Unconditional: a redelivery writes the same key with the same values."""
        item = {
            "pk": store_id,
            "sk": activity_sk(event.at, event.event_id),
            "type": "activity",
            "kind": activity.kind,
            "text": activity.text,
            "at": activity.at,
            "expires_at": event.at // 1000 + KEEP_DAYS * 86_400,
        }
        if activity.ref is not None:
            item["ref"] = activity.ref
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(item))

    def recent(self, store_id: str, limit: int) -> list[Activity]:
        """One Query, newest first. An expired item TTL has not removed yet may still show (DynamoDB deletes
        within days); it is at most KEEP_DAYS plus that old, which the feed's last-20 view tolerates."""
        response = dynamodb_client(self._dynamodb).query(
            TableName=self.table,
            KeyConditionExpression="pk = :s AND begins_with(sk, :a)",
            ExpressionAttributeValues={":s": {"S": store_id}, ":a": {"S": ACTIVITY}},
            ScanIndexForward=False,
            Limit=limit,
        )
        found = []
        for raw in response.get("Items", []):
            data = from_item(raw)
            ref = data.get("ref")
            found.append(
                Activity(at=int(data["at"]), kind=str(data["kind"]), text=str(data["text"]), ref=ref and str(ref))
            )
        return found
