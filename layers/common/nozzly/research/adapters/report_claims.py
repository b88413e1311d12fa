"""Which daily research reports went out: research table items `pk={store}, sk=REPORT#{YYYY-MM-DD}` (the research
day), with status `sending` -> `sent` (to, message_id) or `skipped` (why).

A report is claimed before it is sent (a conditional Put), so a retried step or a second run of the day sends
nothing twice. A send that fails gives the claim back (the step's retry tries again). A claim left `sending` by
a step that died between the claim and the send is never taken over: whether that email went out cannot be
known, and sending nothing twice was chosen over never missing a day (as the daily sales summary does).
Claims expire (TTL) with the day's results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.research.domain.results import KEEP_DAYS

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

REPORT: Final = "REPORT#"


def _key(store_id: str, day: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{REPORT}{day}"}}


class ReportClaims:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def claim(self, store_id: str, day: str, now: float) -> bool:
        """True if this caller may send the day's report; False if it was sent (or is being sent) already."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item={
                    **_key(store_id, day),
                    "type": {"S": "research_report"},
                    "status": {"S": "sending"},
                    "at": {"N": str(int(now))},
                    "expires_at": {"N": str(int(now) + KEEP_DAYS * 86_400)},
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def sent(self, store_id: str, day: str, to: str, message_id: str) -> None:
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=_key(store_id, day),
            UpdateExpression="SET #status = :sent, #to = :to, message_id = :id",
            ExpressionAttributeNames={"#status": "status", "#to": "to"},
            ExpressionAttributeValues={":sent": {"S": "sent"}, ":to": {"S": to}, ":id": {"S": message_id}},
        )

    def skipped(self, store_id: str, day: str, why: str) -> None:
        """The day is settled without an email (nobody to send it to): no run claims it again."""
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=_key(store_id, day),
            UpdateExpression="SET #status = :skipped, why = :why",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":skipped": {"S": "skipped"}, ":why": {"S": why}},
        )

    def release(self, store_id: str, day: str, now: float) -> None:
        """Give back this step's claim (only while it is still `sending` from this step: `at` as claimed)."""
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
