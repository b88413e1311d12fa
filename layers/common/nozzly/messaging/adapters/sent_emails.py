"""Which transactional emails went out: orders table items `pk={store}, sk=EMAIL#{kind}#{ref}`.

An email is claimed before it is sent (a conditional put), so an event delivered twice, or two deliveries at
once, send it once. A failed send gives the claim back for EventBridge's retry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _key(store_id: str, kind: str, ref: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"EMAIL#{kind}#{ref}"}}


class SentEmails:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def claim(self, store_id: str, kind: str, ref: str, to: str, now: float) -> bool:
        """True if this caller may send it; False if it was sent (or is being sent) already."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item={
                    **_key(store_id, kind, ref),
                    "type": {"S": "email"},
                    "to": {"S": to},
                    "status": {"S": "sending"},
                    "at": {"N": str(int(now))},
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def sent(self, store_id: str, kind: str, ref: str, message_id: str) -> None:
        dynamodb_client(self._dynamodb).update_item(
            TableName=self.table,
            Key=_key(store_id, kind, ref),
            UpdateExpression="SET #status = :sent, message_id = :id",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":sent": {"S": "sent"}, ":id": {"S": message_id}},
        )

    def release(self, store_id: str, kind: str, ref: str) -> None:
        dynamodb_client(self._dynamodb).delete_item(TableName=self.table, Key=_key(store_id, kind, ref))
