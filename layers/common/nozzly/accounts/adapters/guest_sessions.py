"""Guest sessions in the identity table: what lets a shopper without an account keep a cart.

pk `GUEST#{store}#{session id}`, sk `SESSION`; attributes store, expires_at (TTL). The id is the secret: it is
unguessable (256 random bits) and a session of one store names another store's key never.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SESSION = "SESSION"


def _key(store_id: str, session_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"GUEST#{store_id}#{session_id}"}, "sk": {"S": SESSION}}


class GuestSessionStore:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def expiry_read(self, store_id: str, session_id: str) -> Read[int]:
        """When the session ends (absent: no such session), for a unit of work's ReadSet."""
        return Read(self.table, _key(store_id, session_id), lambda data: int(data["expires_at"]))

    def create(self, store_id: str, session_id: str, *, created_at: int, expires_at: int) -> None:
        dynamodb_client(self._dynamodb).put_item(
            TableName=self.table,
            Item={
                **_key(store_id, session_id),
                "store": {"S": store_id},
                "created_at": {"N": str(created_at)},
                "expires_at": {"N": str(expires_at)},
            },
            ConditionExpression="attribute_not_exists(pk)",
        )

    def expires_at(self, store_id: str, session_id: str) -> int | None:
        """When the session ends, None if there is no such item (expired items may linger: TTL deletes late)."""
        item = (
            dynamodb_client(self._dynamodb)
            .get_item(TableName=self.table, Key=_key(store_id, session_id), ConsistentRead=True)
            .get("Item")
        )
        return int(item["expires_at"]["N"]) if item else None
