"""Per-IP request counters in the identity table, one item per route group, address and minute.

pk `RATE#{group}#{ip}`, sk `{window start}`; attributes count, expires_at (TTL, the window's end). One UpdateItem
per request: ADD count, conditioned on `count < limit`, so parallel requests (many containers) never pass the limit.
The window start is in the key: an old window is never read again, however late TTL deletes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.domain.errors import TooManyRequests
from nozzly.traffic.domain.rate_limits import IpWindow

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


class IpWindows:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._dynamodb = dynamodb

    def take(self, window: IpWindow, now: float) -> None:
        """Count one request, or raise TooManyRequests (nothing counted) when the window is full."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": f"RATE#{window.group}#{window.ip}"}, "sk": {"S": str(window.start)}},
                UpdateExpression="ADD #count :one SET expires_at = :end",
                ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames={"#count": "count"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":end": {"N": str(window.end)},
                    ":limit": {"N": str(window.limit)},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException as error:
            raise TooManyRequests(
                f"more than {window.limit} requests a minute from one address; try again later",
                retry_after=window.retry_after(now),
            ) from error
