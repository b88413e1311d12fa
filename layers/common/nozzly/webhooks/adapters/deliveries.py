"""Deliveries in the webhooks table: `pk=ENDPOINT#{store}#{endpoint}`, `sk=DELIVERY#{webhook-id}`.

The local index `by_time` (sort key `created_ms`) lists an endpoint's newest first. Items expire after
RETENTION_DAYS (the table's TTL attribute `expires_at`). `create` is conditional: a bus event delivered twice
to the dispatcher finds its delivery already there and enqueues nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.webhooks.domain.deliveries import Delivery, Status

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

RETENTION_DAYS: Final = 30


def _pk(store_id: str, endpoint_id: str) -> str:
    return f"ENDPOINT#{store_id}#{endpoint_id}"


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(seconds * 1000)


def _to_data(d: Delivery) -> dict[str, Any]:
    return {
        "pk": _pk(d.store_id, d.endpoint_id),
        "sk": f"DELIVERY#{d.delivery_id}",
        "store_id": d.store_id,
        "endpoint_id": d.endpoint_id,
        "delivery_id": d.delivery_id,
        "event_type": d.event_type,
        "body": d.body,
        "created_ms": _ms(d.created_at),
        "status": d.status.value,
        "attempts": d.attempts,
        "response_code": d.response_code,
        "latency_ms": d.latency_ms,
        "last_error": d.last_error,
        "next_attempt_ms": _ms(d.next_attempt_at),
        "enqueued": d.enqueued,
        "expires_at": int(d.created_at) + RETENTION_DAYS * 86400,
    }


def _from_data(d: dict[str, Any]) -> Delivery:
    next_ms = d.get("next_attempt_ms")
    return Delivery(
        store_id=d["store_id"],
        endpoint_id=d["endpoint_id"],
        delivery_id=d["delivery_id"],
        event_type=d["event_type"],
        body=d["body"],
        created_at=d["created_ms"] / 1000,
        status=Status(d["status"]),
        attempts=int(d["attempts"]),
        response_code=d.get("response_code"),
        latency_ms=d.get("latency_ms"),
        last_error=d.get("last_error", ""),
        next_attempt_at=None if next_ms is None else next_ms / 1000,
        enqueued=bool(d.get("enqueued", False)),
    )


@dataclass(frozen=True)
class DeliveriesRepository:
    table: str
    client: DynamoDBClient | None = None

    def create(self, delivery: Delivery) -> bool:
        """Write a new delivery; False (and nothing written) when it already exists."""
        db = dynamodb_client(self.client)
        try:
            db.put_item(
                TableName=self.table,
                Item=to_item(_to_data(delivery)),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get(self, store_id: str, endpoint_id: str, delivery_id: str) -> Delivery | None:
        item = (
            dynamodb_client(self.client)
            .get_item(
                TableName=self.table,
                Key={"pk": {"S": _pk(store_id, endpoint_id)}, "sk": {"S": f"DELIVERY#{delivery_id}"}},
                ConsistentRead=True,
            )
            .get("Item")
        )
        return _from_data(from_item(item)) if item else None

    def put(self, delivery: Delivery) -> None:
        dynamodb_client(self.client).put_item(TableName=self.table, Item=to_item(_to_data(delivery)))

    def record(self, before: Delivery, after: Delivery) -> bool:
        """Replace `before` with `after` only if nobody recorded an attempt since; False when someone did."""
        db = dynamodb_client(self.client)
        try:
            db.put_item(
                TableName=self.table,
                Item=to_item(_to_data(after)),
                ConditionExpression="attempts = :n AND #s = :s",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":n": {"N": str(before.attempts)}, ":s": {"S": before.status.value}},
            )
        except db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def mark_enqueued(self, delivery: Delivery) -> None:
        dynamodb_client(self.client).update_item(
            TableName=self.table,
            Key={
                "pk": {"S": _pk(delivery.store_id, delivery.endpoint_id)},
                "sk": {"S": f"DELIVERY#{delivery.delivery_id}"},
            },
            UpdateExpression="SET enqueued = :t",
            ExpressionAttributeValues={":t": {"BOOL": True}},
        )

    def newest(self, store_id: str, endpoint_id: str, limit: int = 50) -> list[Delivery]:
        response = dynamodb_client(self.client).query(
            TableName=self.table,
            IndexName="by_time",
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": _pk(store_id, endpoint_id)}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_from_data(from_item(i)) for i in response.get("Items", [])]
