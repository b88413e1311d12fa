"""A store's Square connection in the stores table: `PAYOUTS#square` (merchant, location, token expiry: no
token) and the one-use OAuth states `SQUARESTATE#{state}`. The connection is also in gsi1 under `SQUARE#TOKENS`,
sorted by expiry, so the scheduled refresh reads only the tokens that end soon (one Query, not a Scan)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.payments.domain.square_oauth import SquareConnection

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

CONNECTION_SK = "PAYOUTS#square"
TOKENS_INDEX_PK = "SQUARE#TOKENS"


def _key(store_id: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _connection(data: dict[str, Any]) -> SquareConnection:
    return SquareConnection(
        merchant_id=str(data["merchant_id"]),
        location_id=str(data["location_id"]),
        expires_at=int(data["expires_at"]),
        connected_at=int(data["connected_at"]),
    )


def _failed_condition(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return bool(response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


class SquareConnectionsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def save_state(self, store_id: str, state: str, expires_at: int) -> None:
        item = {"pk": store_id, "sk": f"SQUARESTATE#{state}", "type": "oauth_state", "expires_at": expires_at}
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(item))

    def take_state(self, store_id: str, state: str, now: int) -> bool:
        """True once for a state saved and not expired: it is deleted as it is taken (a replay finds nothing)."""
        from botocore.exceptions import ClientError

        try:
            dynamodb_client(self._dynamodb).delete_item(
                TableName=self.table,
                Key=_key(store_id, f"SQUARESTATE#{state}"),
                ConditionExpression="expires_at > :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except ClientError as exc:
            if _failed_condition(exc):
                return False
            raise
        return True

    def get(self, store_id: str) -> SquareConnection | None:
        found = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, CONNECTION_SK), ConsistentRead=True
        )
        return _connection(from_item(found["Item"])) if "Item" in found else None

    def save(self, store_id: str, connection: SquareConnection) -> None:
        item = {
            "pk": store_id,
            "sk": CONNECTION_SK,
            "type": "square_connection",
            "merchant_id": connection.merchant_id,
            "location_id": connection.location_id,
            "expires_at": connection.expires_at,
            "connected_at": connection.connected_at,
            "gsi1pk": TOKENS_INDEX_PK,
            "gsi1sk": f"{connection.expires_at:012d}#{store_id}",
        }
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(item))

    def delete(self, store_id: str) -> None:
        dynamodb_client(self._dynamodb).delete_item(TableName=self.table, Key=_key(store_id, CONNECTION_SK))

    def due(self, before: int) -> list[str]:
        """The stores whose Square tokens expire before `before` (unix seconds), soonest first."""
        found: list[str] = []
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk AND gsi1sk < :before",
            "ExpressionAttributeValues": {":pk": {"S": TOKENS_INDEX_PK}, ":before": {"S": f"{before:012d}"}},
            "ProjectionExpression": "pk",
        }
        while True:
            page = dynamodb_client(self._dynamodb).query(**request)
            found += [item["pk"]["S"] for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
