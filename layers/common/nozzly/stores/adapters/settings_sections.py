"""A store's settings sections in the stores table: one item per section plus an immutable log of its versions.

`pk={store}, sk=SETTINGS#{section}`: type "settings", section, version (first write 1), updated_by, updated_at,
data (the section's fields). `pk={store}, sk=SETTINGS_LOG#{section}#{version, 10 digits}`: type
"settings_log", the same attributes, written in the transaction that writes that version and never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.stores.domain.store_settings import NEVER_SAVED, SectionState

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SECTION_PREFIX: Final = "SETTINGS#"
LOG_PREFIX: Final = "SETTINGS_LOG#"
SECTION_TYPE: Final = "settings"
LOG_TYPE: Final = "settings_log"


def section_sk(section: str) -> str:
    return f"{SECTION_PREFIX}{section}"


def log_sk(section: str, version: int) -> str:
    return f"{LOG_PREFIX}{section}#{version:010d}"


@dataclass(frozen=True, slots=True)
class HistoryPage:
    changes: list[SectionState]  # newest first
    next_cursor: str | None


def _state(data: dict[str, Any]) -> SectionState:
    return SectionState(
        section=str(data["section"]),
        version=int(data["version"]),
        data=dict(data.get("data") or {}),
        updated_by=data.get("updated_by"),
        updated_at=data.get("updated_at"),
    )


def _saved(data: dict[str, Any]) -> SectionState | None:
    # SETTINGS#email, written before sections existed, shares the prefix but is not a section.
    return _state(data) if data.get("type") == SECTION_TYPE else None


class SettingsSectionsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def _key(self, store_id: str, sk: str) -> dict[str, dict[str, str]]:
        return {"pk": {"S": store_id}, "sk": {"S": sk}}

    def read(self, store_id: str, section: str) -> Read[SectionState | None]:
        return Read(self.table, self._key(store_id, section_sk(section)), _saved)

    def get(self, store_id: str, section: str) -> SectionState | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=self._key(store_id, section_sk(section)), ConsistentRead=True
        )
        return _saved(from_item(response["Item"])) if "Item" in response else None

    def all(self, store_id: str) -> dict[str, SectionState]:
        """Every saved section of the store, by name (one Query; a store has a handful)."""
        dynamodb = dynamodb_client(self._dynamodb)
        found: dict[str, SectionState] = {}
        args: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": SECTION_PREFIX}},
            "ConsistentRead": True,
        }
        while True:
            response = dynamodb.query(**args)
            for item in response.get("Items", []):
                state = _saved(from_item(item))
                if state is not None:
                    found[state.section] = state
            if "LastEvaluatedKey" not in response:
                return found
            args["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def save_ops(self, store_id: str, state: SectionState) -> tuple[Write, Write]:
        """The section's Put, conditioned on the version before this one (absent for the first), and its log
        entry's Put (absent: two writers of one version cannot both log it)."""
        attributes = {
            "section": state.section,
            "version": state.version,
            "updated_by": state.updated_by,
            "updated_at": state.updated_at,
            "data": {k: v for k, v in state.data.items() if v is not None},
        }
        item = {"pk": store_id, "sk": section_sk(state.section), "type": SECTION_TYPE} | attributes
        put: dict[str, Any] = {"TableName": self.table, "Item": to_item(item)}
        previous = state.version - 1
        if previous == NEVER_SAVED:
            put |= {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            put |= {
                "ConditionExpression": "#version = :read",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":read": {"N": str(previous)}},
            }
        log = {"pk": store_id, "sk": log_sk(state.section, state.version), "type": LOG_TYPE} | attributes
        log_put = {"TableName": self.table, "Item": to_item(log), "ConditionExpression": "attribute_not_exists(pk)"}
        return {"Put": put}, {"Put": log_put}

    def history(self, store_id: str, section: str, *, cursor: str | None, limit: int) -> HistoryPage:
        """The section's versions newest first, `limit` per page."""
        prefix = f"{LOG_PREFIX}{section}#"
        args: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": prefix}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            start = cursors.decode(cursor, key_attrs={"pk", "sk"}, partition_attr="pk", partition_value=store_id)
            if not start["sk"]["S"].startswith(prefix):  # another section's (or anything else's) position
                raise InvalidInput("cursor does not belong to this listing", field="cursor")
            args["ExclusiveStartKey"] = start
        response = dynamodb_client(self._dynamodb).query(**args)
        changes = [_state(from_item(item)) for item in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return HistoryPage(changes, cursors.encode(last) if last and len(changes) == limit else None)
