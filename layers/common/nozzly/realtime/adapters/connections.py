"""The connections table: who is connected, as whom, and in which rooms.

| item | pk | sk | room (gsi "by-room") | attributes |
|---|---|---|---|---|
| connection | `CONN#{connection id}` | `#` | - | identity, sub?, store_id?, order_id?, connected_at, expires_at (TTL) |
| room membership | `CONN#{connection id}` | `ROOM#{room}` | `{room}` | expires_at (TTL) |
| broadcast throttle | `BROADCAST#{store}` | `#` | - | at (epoch seconds of the last broadcast) |

Keys start with the connection id, not a store: a connection is API Gateway's, and an operator's one socket may
join rooms of several stores. Every room name starts with its store, so the index never mixes tenants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.realtime.domain.connections import CONNECTION_TTL_SECONDS
from nozzly.realtime.domain.rooms import Caller, Identity

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

BY_ROOM = "by-room"


def _key(connection_id: str, sk: str = "#") -> dict[str, Any]:
    return {"pk": {"S": f"CONN#{connection_id}"}, "sk": {"S": sk}}


class ConnectionsRepository:
    def __init__(self, table: str, client: DynamoDBClient | None = None) -> None:
        self.table = table
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        return dynamodb_client(self._client)

    def connect(self, connection_id: str, caller: Caller, now: int) -> None:
        item: dict[str, Any] = {
            **_key(connection_id),
            "identity": {"S": caller.identity.value},
            "connected_at": {"N": str(now)},
            "expires_at": {"N": str(now + CONNECTION_TTL_SECONDS)},
        }
        for name in ("sub", "store_id", "order_id"):
            value = getattr(caller, name)
            if value:
                item[name] = {"S": value}
        self.client.put_item(TableName=self.table, Item=item)

    def caller(self, connection_id: str) -> Caller | None:
        item = self.client.get_item(TableName=self.table, Key=_key(connection_id), ConsistentRead=True).get("Item")
        if item is None:
            return None

        def text(name: str) -> str | None:
            value = item.get(name)
            return value["S"] if value else None

        return Caller(Identity(item["identity"]["S"]), text("sub"), text("store_id"), text("order_id"))

    def join(self, connection_id: str, room: str, now: int) -> None:
        self.client.put_item(
            TableName=self.table,
            Item={
                **_key(connection_id, f"ROOM#{room}"),
                "room": {"S": room},
                "expires_at": {"N": str(now + CONNECTION_TTL_SECONDS)},
            },
        )

    def leave(self, connection_id: str, room: str) -> None:
        self.client.delete_item(TableName=self.table, Key=_key(connection_id, f"ROOM#{room}"))

    def drop(self, connection_id: str) -> None:
        """The connection and all its rooms (at $disconnect, or when API Gateway says it is gone)."""
        keys: list[dict[str, Any]] = []
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CONN#{connection_id}"}},
            ProjectionExpression="pk, sk",
        ):
            keys.extend({"pk": item["pk"], "sk": item["sk"]} for item in page["Items"])
        for start in range(0, len(keys), 25):
            requests: Any = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]]
            self.client.batch_write_item(RequestItems={self.table: requests})

    def in_room(self, room: str) -> list[str]:
        """The connection ids in a room (the index is eventually consistent: a join a moment ago may miss one
        event, which the client's own re-read after subscribing covers)."""
        found: list[str] = []
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table,
            IndexName=BY_ROOM,
            KeyConditionExpression="room = :room",
            ExpressionAttributeValues={":room": {"S": room}},
        ):
            found.extend(item["pk"]["S"].removeprefix("CONN#") for item in page["Items"])
        return found

    def claim_broadcast(self, store_id: str, now: int, every_seconds: int) -> bool:
        """One conditional write: True when the store had not broadcast within `every_seconds`."""
        try:
            self.client.put_item(
                TableName=self.table,
                Item={"pk": {"S": f"BROADCAST#{store_id}"}, "sk": {"S": "#"}, "at": {"N": str(now)}},
                ConditionExpression="attribute_not_exists(pk) OR #at <= :cutoff",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues={":cutoff": {"N": str(now - every_seconds)}},
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True
