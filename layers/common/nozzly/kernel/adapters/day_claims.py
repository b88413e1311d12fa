"""Daily emails claimed before they are sent (the research report, the sales summary): a conditional Put, so a
retried step or a second run of the day sends nothing twice. A send that fails gives the claim back. A claim left
`sending` by a run that died between the claim and the send is never taken over: whether that email went out
cannot be known, and sending nothing twice was chosen over never missing a day. Claims expire (TTL) after the
caller's `keep_days`; status `sending` -> `sent` (to, message_id) or `skipped` (why).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


class DayClaims:
    """One email a day per store, claimed before it is sent: items `pk={store}, sk={prefix}{YYYY-MM-DD}`."""

    def __init__(
        self, table: str, *, prefix: str, kind: str, keep_days: int, dynamodb: DynamoDBClient | None = None
    ) -> None:
        self._dynamodb = dynamodb
        self.table = table
        self.prefix = prefix
        self.kind = kind
        self.keep_days = keep_days

    def _key(self, store_id: str, day: str | date) -> dict[str, dict[str, str]]:
        return {"pk": {"S": store_id}, "sk": {"S": f"{self.prefix}{day}"}}  # a date prints as YYYY-MM-DD

    def claim(self, store_id: str, day: str | date, now: float) -> bool:
        """True if this caller may send the day's email; False if it was sent (or is being sent) already."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item={
                    **self._key(store_id, day),
                    "type": {"S": self.kind},
                    "status": {"S": "sending"},
                    "at": {"N": str(int(now))},
                    "expires_at": {"N": str(int(now) + self.keep_days * 86_400)},
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def sent(self, store_id: str, day: str | date, to: str, message_id: str) -> None:
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=self._key(store_id, day),
            UpdateExpression="SET #status = :sent, #to = :to, message_id = :id",
            ExpressionAttributeNames={"#status": "status", "#to": "to"},
            ExpressionAttributeValues={":sent": {"S": "sent"}, ":to": {"S": to}, ":id": {"S": message_id}},
        )

    def skipped(self, store_id: str, day: str | date, why: str) -> None:
        """The day is settled without an email (nobody to send it to): no run claims it again."""
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=self._key(store_id, day),
            UpdateExpression="SET #status = :skipped, why = :why",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":skipped": {"S": "skipped"}, ":why": {"S": why}},
        )

    def release(self, store_id: str, day: str | date, now: float) -> None:
        """Give back this step's claim (only while it is still `sending` from this caller: `at` as claimed)."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.delete_item(
                TableName=self.table,
                Key=self._key(store_id, day),
                ConditionExpression="#status = :sending AND #at = :at",
                ExpressionAttributeNames={"#status": "status", "#at": "at"},
                ExpressionAttributeValues={":sending": {"S": "sending"}, ":at": {"N": str(int(now))}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return
