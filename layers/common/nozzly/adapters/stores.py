"""Store (tenant) data access: the stores table holds one PROFILE item per store."""

from __future__ import annotations

from typing import Any

from nozzly.adapters.aws import client
from nozzly.adapters.dynamo import from_item, to_item
from nozzly.domain.catalog import Store, StoreStatus
from nozzly.domain.errors import InvalidInput, NotFound

PROFILE = "PROFILE"


def _to_data(store: Store) -> dict[str, Any]:
    return {
        "pk": store.store_id,
        "sk": PROFILE,
        "type": "store",
        "name": store.name,
        "currency": store.currency,
        "country": store.country,
        "niche": store.niche,
        "description": store.description,
        "status": store.status.value,
    }


def _from_data(data: dict[str, Any]) -> Store:
    return Store(
        store_id=data["pk"],
        name=data["name"],
        currency=data["currency"],
        country=data["country"],
        niche=data.get("niche", ""),
        description=data.get("description", ""),
        status=StoreStatus(data.get("status", "active")),
    )


class StoresRepository:
    def __init__(self, table: str) -> None:
        self.table = table

    def get(self, store_id: str) -> Store:
        """The store's public profile; a deleted store is as absent as one that never existed."""
        response = client("dynamodb").get_item(TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": PROFILE}})
        store = _from_data(from_item(response["Item"])) if "Item" in response else None
        if store is None or not store.is_open:
            raise NotFound(f"store {store_id!r} not found", field="store")
        return store

    def put_profile_op(self, store: Store) -> dict[str, Any]:
        """A transaction item writing the profile, so a store and its catalog root appear together."""
        return {"Put": {"TableName": self.table, "Item": to_item(_to_data(store))}}

    def list_store_ids(self) -> list[str]:
        """Every store id. Background jobs only: this scans the (small, one item per store) table."""
        ids: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :profile",
            "ProjectionExpression": "pk",
            "ExpressionAttributeValues": {":profile": {"S": PROFILE}},
        }
        while True:
            response = client("dynamodb").scan(**kwargs)
            ids += [item["pk"]["S"] for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return ids
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems


def write_atomically(ops: list[dict[str, Any]]) -> None:
    """All of the writes or none; more than one transaction holds is refused, never split."""
    if len(ops) > MAX_TRANSACTION_ITEMS:
        raise InvalidInput(f"{len(ops)} writes cannot be made atomically (at most {MAX_TRANSACTION_ITEMS})")
    client("dynamodb").transact_write_items(TransactItems=ops)
