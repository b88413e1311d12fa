"""Endpoints in the webhooks table: `pk=STORE#{store}`, `sk=ENDPOINT#{id}`."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.webhooks.domain.endpoints import Endpoint

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _key(store_id: str, endpoint_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"STORE#{store_id}"}, "sk": {"S": f"ENDPOINT#{endpoint_id}"}}


def _to_data(ep: Endpoint) -> dict[str, Any]:
    return {
        "pk": f"STORE#{ep.store_id}",
        "sk": f"ENDPOINT#{ep.endpoint_id}",
        "store_id": ep.store_id,
        "endpoint_id": ep.endpoint_id,
        "url": ep.url,
        "event_types": list(ep.event_types),
        "secret": ep.secret,
        "created_at": ep.created_at,
        "description": ep.description,
        "enabled": ep.enabled,
        "disabled_reason": ep.disabled_reason,
        "failed_deliveries": ep.failed_deliveries,
        # DynamoDB numbers here are ints (kernel.adapters.dynamo): epoch milliseconds
        "streak_started_ms": None if ep.streak_started_at is None else int(ep.streak_started_at * 1000),
    }


def _from_data(d: dict[str, Any]) -> Endpoint:
    started = d.get("streak_started_ms")
    return Endpoint(
        store_id=d["store_id"],
        endpoint_id=d["endpoint_id"],
        url=d["url"],
        event_types=tuple(d["event_types"]),
        secret=d["secret"],
        created_at=d["created_at"],
        description=d.get("description", ""),
        enabled=bool(d["enabled"]),
        disabled_reason=d.get("disabled_reason", ""),
        failed_deliveries=int(d.get("failed_deliveries", 0)),
        streak_started_at=None if started is None else started / 1000,
    )


@dataclass(frozen=True)
class EndpointsRepository:
    table: str
    client: DynamoDBClient | None = None

    def of_store(self, store_id: str) -> list[Endpoint]:
        pages = (
            dynamodb_client(self.client)
            .get_paginator("query")
            .paginate(
                TableName=self.table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
                ExpressionAttributeValues={":pk": {"S": f"STORE#{store_id}"}, ":sk": {"S": "ENDPOINT#"}},
            )
        )
        found = [_from_data(from_item(i)) for page in pages for i in page.get("Items", [])]
        return sorted(found, key=lambda e: (e.created_at, e.endpoint_id))

    def get(self, store_id: str, endpoint_id: str) -> Endpoint | None:
        item = (
            dynamodb_client(self.client)
            .get_item(TableName=self.table, Key=_key(store_id, endpoint_id), ConsistentRead=True)
            .get("Item")
        )
        return _from_data(from_item(item)) if item else None

    def created_op(self, endpoint: Endpoint) -> Write:
        """A new endpoint, for the transaction that also takes its slot on the store's plan."""
        item = to_item(_to_data(endpoint))
        return {"Put": {"TableName": self.table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def deleted_op(self, store_id: str, endpoint_id: str) -> Write:
        """The endpoint's delete, only if it is there (a second delete fails instead of freeing a slot twice)."""
        return {
            "Delete": {
                "TableName": self.table,
                "Key": _key(store_id, endpoint_id),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def put(self, endpoint: Endpoint) -> None:
        dynamodb_client(self.client).put_item(TableName=self.table, Item=to_item(_to_data(endpoint)))

    def set_streak(self, endpoint: Endpoint) -> None:
        """Only the failure counters: an operator's change made meanwhile (URL, types, enabled) stays."""
        values: dict[str, Any] = {":f": {"N": str(endpoint.failed_deliveries)}}
        if endpoint.streak_started_at is None:
            expression = "SET failed_deliveries = :f REMOVE streak_started_ms"
        else:
            expression = "SET failed_deliveries = :f, streak_started_ms = :s"
            values[":s"] = {"N": str(int(endpoint.streak_started_at * 1000))}
        db = dynamodb_client(self.client)
        with suppress(db.exceptions.ConditionalCheckFailedException):  # deleted meanwhile: nothing to count on
            db.update_item(
                TableName=self.table,
                Key=_key(endpoint.store_id, endpoint.endpoint_id),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=values,
            )

    def disable(self, endpoint: Endpoint) -> bool:
        """Disable it with its reason; False when it was already disabled (or deleted): one owner email each."""
        db = dynamodb_client(self.client)
        try:
            db.update_item(
                TableName=self.table,
                Key=_key(endpoint.store_id, endpoint.endpoint_id),
                UpdateExpression="SET enabled = :no, disabled_reason = :why",
                ConditionExpression="enabled = :yes",
                ExpressionAttributeValues={
                    ":no": {"BOOL": False},
                    ":yes": {"BOOL": True},
                    ":why": {"S": endpoint.disabled_reason},
                },
            )
        except db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def delete(self, store_id: str, endpoint_id: str) -> bool:
        response = dynamodb_client(self.client).delete_item(
            TableName=self.table, Key=_key(store_id, endpoint_id), ReturnValues="ALL_OLD"
        )
        return "Attributes" in response
