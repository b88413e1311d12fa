"""Store (tenant) data access: the stores table holds one PROFILE item per store (members: store_members.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.catalog.domain.catalog import Store, StoreStatus
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.errors import NotFound

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

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
        "progress": store.progress,
        "error": store.error,
        "owner": store.owner,
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
        progress=data.get("progress", 100),
        error=data.get("error"),
        owner=data.get("owner"),
    )


def _key(store_id: str) -> dict[str, Any]:
    return {"pk": {"S": store_id}, "sk": {"S": PROFILE}}


class StoresRepository:
    def profile_read(self, store_id: str) -> Read[Store]:
        """The profile whatever its status (callers judge is_open), for a unit of work's ReadSet."""
        return Read(self.table, _key(store_id), _from_data)

    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def get(self, store_id: str) -> Store:
        """The store's public profile; a deleted store is as absent as one that never existed."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": PROFILE}}
        )
        store = _from_data(from_item(response["Item"])) if "Item" in response else None
        if store is None or not store.is_open:
            raise NotFound(f"store {store_id!r} not found", field="store")
        return store

    def put_profile_op(self, store: Store) -> dict[str, Any]:
        """A transaction item writing the profile, so a store and its catalog root appear together."""
        return {"Put": {"TableName": self.table, "Item": to_item(_to_data(store))}}

    def import_profile_op(self, store: Store) -> dict[str, Any]:
        """Write an imported store's profile: a new store, or one an earlier import created.

        A store an operator opened (pending, seeding, ready, failed) is never imported over, and a
        deleted store is not revived by an import.
        """
        op = self.put_profile_op(store)
        op["Put"] |= {
            "ConditionExpression": "attribute_not_exists(pk) OR #status = :imported",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":imported": {"S": StoreStatus.ACTIVE.value}},
        }
        return op

    # ---- operators' stores: provisioning and administration
    def find(self, store_id: str) -> Store | None:
        """The profile whatever its status (consistent: provisioning is read right after it changes)."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def reserve_op(self, store: Store) -> dict[str, Any]:
        """Put the new profile only if the id is free: the conditional write is what makes ids unique."""
        op = self.put_profile_op(store)
        op["Put"]["ConditionExpression"] = "attribute_not_exists(pk)"
        return op

    def progress_op(
        self, store_id: str, status: StoreStatus, progress: int, *, expected: tuple[StoreStatus, ...], error: str = ""
    ) -> dict[str, Any]:
        """A transaction item moving provisioning on, only from an expected status."""
        return {"Update": self._progress(store_id, status, progress, expected=expected, error=error)}

    def move_progress(
        self, store_id: str, status: StoreStatus, progress: int, *, expected: tuple[StoreStatus, ...], error: str = ""
    ) -> bool:
        """Move provisioning on alone; False if the store was not in an expected status."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(**self._progress(store_id, status, progress, expected=expected, error=error))
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def _progress(
        self, store_id: str, status: StoreStatus, progress: int, *, expected: tuple[StoreStatus, ...], error: str
    ) -> dict[str, Any]:
        # Only from an expected status: a deleted store is never revived, a ready one never failed.
        placeholders = ", ".join(f":s{i}" for i in range(len(expected)))
        values = {f":s{i}": {"S": s.value} for i, s in enumerate(expected)}
        update = "SET #status = :status, progress = :progress" + (", #error = :error" if error else " REMOVE #error")
        return {
            "TableName": self.table,
            "Key": _key(store_id),
            "UpdateExpression": update,
            "ConditionExpression": f"#status IN ({placeholders})",
            "ExpressionAttributeNames": {"#status": "status", "#error": "error"},
            "ExpressionAttributeValues": values
            | {":status": {"S": status.value}, ":progress": {"N": str(progress)}}
            | ({":error": {"S": error}} if error else {}),
        }

    def update_op(self, store: Store, changes: dict[str, str]) -> dict[str, Any]:
        """Change some profile fields, only while the store is still as it was read (not deleted meanwhile)."""
        names = {f"#f{i}": k for i, k in enumerate(changes)}
        values = {f":v{i}": {"S": v} for i, v in enumerate(changes.values())}
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(store.store_id),
                "UpdateExpression": "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(changes))),
                "ConditionExpression": "#status = :current",
                "ExpressionAttributeNames": names | {"#status": "status"},
                "ExpressionAttributeValues": values | {":current": {"S": store.status.value}},
            }
        }

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
            response = dynamodb_client(self._dynamodb).scan(**kwargs)
            ids += [item["pk"]["S"] for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return ids
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
