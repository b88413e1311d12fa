"""Which daily summaries went out: analytics table items `pk={store}, sk=SUMMARY#{YYYY-MM-DD}` (the day summarised).

A summary is claimed before it is sent (a conditional put), so a retried or overlapping run sends it once. A
failed send gives the claim back for the next hourly run. A claim is never taken over, even one left `sending` by
a run that died between the claim and the send: whether that email went out cannot be known, and sending nothing
twice was chosen over never missing a day. Claims expire (TTL) after EXPIRES_DAYS.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SUMMARY: Final = "SUMMARY#"
EXPIRES_DAYS: Final = 35


def _key(store_id: str, day: date) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{SUMMARY}{day.isoformat()}"}}


class SummaryClaims:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def claim(self, store_id: str, day: date, now: float) -> bool:
        """True if this caller may send the day's summary; False if it was sent (or is being sent) already."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item={
                    **_key(store_id, day),
                    "type": {"S": "summary"},
                    "status": {"S": "sending"},
                    "at": {"N": str(int(now))},
                    "expires_at": {"N": str(int(now) + EXPIRES_DAYS * 86400)},
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def sent(self, store_id: str, day: date, to: str, message_id: str) -> None:
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=_key(store_id, day),
            UpdateExpression="SET #status = :sent, #to = :to, message_id = :id",
            ExpressionAttributeNames={"#status": "status", "#to": "to"},
            ExpressionAttributeValues={":sent": {"S": "sent"}, ":to": {"S": to}, ":id": {"S": message_id}},
        )

    def skipped(self, store_id: str, day: date, why: str) -> None:
        """The day is settled without an email (nobody to send it to): no run claims it again."""
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=_key(store_id, day),
            UpdateExpression="SET #status = :skipped, why = :why",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":skipped": {"S": "skipped"}, ":why": {"S": why}},
        )

    def release(self, store_id: str, day: date, now: float) -> None:
        """Give back this run's claim (only while it is still `sending` from this run: `at` as claimed)."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.delete_item(
                TableName=self.table,
                Key=_key(store_id, day),
                ConditionExpression="#status = :sending AND #at = :at",
                ExpressionAttributeNames={"#status": "status", "#at": "at"},
                ExpressionAttributeValues={":sending": {"S": "sending"}, ":at": {"N": str(int(now))}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return
