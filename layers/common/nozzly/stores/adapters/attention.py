"""A store's attention list in the stores table; the only code that knows its items.

- `pk={store}, sk=ATTENTION#{kind}#{product}#{variant}`: one open item per thing (kind `low_stock`); attributes
  kind, product, variant, title, variant_title, sku, available, threshold, at, acknowledged_by, acknowledged_at.
- `pk={store}, sk=ATTENTION_COUNTS`: the number of open items per kind, one number attribute per kind.

An item's Put (`attribute_not_exists`) or Delete (`attribute_exists`) and the counter's ADD are one transaction:
a replayed stream record or a second resolve fails the condition and counts nothing.

Migration: items of the old format `ATTENTION#{epoch seconds, 10 digits}#{product}#{variant}` may exist. Digits
sort before every kind's first letter, so every read here starts its key range at `ATTENTION#a` and never sees
them (nor did the counter ever count them); they are inert and can be deleted by a one-off script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.catalog.domain.stock_alerts import StockAlert
from nozzly.kernel.adapters import cursor
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.stores.domain.attention import LOW_STOCK, AttentionEntry, AttentionKey

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

__all__ = ["COUNTS_SK", "AttentionList", "attention_sk"]

PREFIX = "ATTENTION#"
COUNTS_SK = "ATTENTION_COUNTS"
# The current items' range: kinds are lower-case words; old items (`ATTENTION#{digits}#...`) sort before it.
_FIRST, _LAST = f"{PREFIX}a", f"{PREFIX}z~"
_RANGE = "pk = :s AND sk BETWEEN :first AND :last"


def attention_sk(key: AttentionKey) -> str:
    return f"{PREFIX}{key.kind}#{key.product}#{key.variant}"


def _key(store_id: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": store_id}, "sk": {"S": sk}}


def _entry(data: dict[str, Any]) -> AttentionEntry:
    acknowledged_at = data.get("acknowledged_at")
    return AttentionEntry(
        key=AttentionKey(str(data["kind"]), str(data["product"]), str(data["variant"])),
        title=str(data.get("title") or ""),
        variant_title=str(data.get("variant_title") or ""),
        sku=str(data.get("sku") or ""),
        available=int(data.get("available") or 0),
        threshold=int(data.get("threshold") or 0),
        at=int(data.get("at") or 0),
        acknowledged_by=data.get("acknowledged_by"),
        acknowledged_at=int(acknowledged_at) if acknowledged_at is not None else None,
    )


class AttentionList:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def _count(self, store_id: str, kind: str, delta: int) -> Write:
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(store_id, COUNTS_SK),
                "UpdateExpression": "ADD #kind :delta",
                "ExpressionAttributeNames": {"#kind": kind},
                "ExpressionAttributeValues": {":delta": {"N": str(delta)}},
            }
        }

    def open_low_stock(self, alert: StockAlert, at: int) -> tuple[Write, Write]:
        """The item's Put (only if not open yet) and the counter's +1, for one transaction."""
        key = AttentionKey(LOW_STOCK, alert.product, alert.variant)
        item = {
            "pk": alert.store_id,
            "sk": attention_sk(key),
            "type": "attention",
            "kind": LOW_STOCK,
            **{k: v for k, v in alert.detail().items() if k != "store_id"},
            "at": at,
        }
        put = {
            "Put": {"TableName": self.table, "Item": to_item(item), "ConditionExpression": "attribute_not_exists(pk)"}
        }
        return put, self._count(alert.store_id, LOW_STOCK, 1)

    def close(self, store_id: str, key: AttentionKey) -> tuple[Write, Write]:
        """The item's Delete (only if open) and the counter's -1, for one transaction."""
        delete = {
            "Delete": {
                "TableName": self.table,
                "Key": _key(store_id, attention_sk(key)),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        return delete, self._count(store_id, key.kind, -1)

    def acknowledge(self, store_id: str, key: AttentionKey, by: str, at: int) -> AttentionEntry | None:
        """Marks an open item seen; None when it is not open. The last acknowledgement wins."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            response = dynamodb.update_item(
                TableName=self.table,
                Key=_key(store_id, attention_sk(key)),
                UpdateExpression="SET acknowledged_by = :by, acknowledged_at = :at",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":by": {"S": by}, ":at": {"N": str(at)}},
                ReturnValues="ALL_NEW",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return None
        return _entry(from_item(response["Attributes"]))

    def counts(self, store_id: str) -> dict[str, int]:
        item = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(store_id, COUNTS_SK)).get("Item")
        data = from_item(item) if item else {}
        return {k: int(v) for k, v in data.items() if k not in ("pk", "sk") and int(v) > 0}

    def page(self, store_id: str, limit: int, after: str | None = None) -> tuple[list[AttentionEntry], str | None]:
        """Open items in key order (kind, product, variant): one Query; the cursor continues it."""
        query: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": _RANGE,
            "ExpressionAttributeValues": {":s": {"S": store_id}, ":first": {"S": _FIRST}, ":last": {"S": _LAST}},
            "Limit": limit,
        }
        if after is not None:
            start = cursor.decode(after, key_attrs={"pk", "sk"}, partition_attr="pk", partition_value=store_id)
            if not _FIRST <= start["sk"]["S"] <= _LAST:
                raise InvalidInput("cursor does not belong to this listing", field="cursor")
            query["ExclusiveStartKey"] = start
        response = dynamodb_client(self._dynamodb).query(**query)
        items = [_entry(from_item(i)) for i in response.get("Items", [])]
        return items, cursor.encode(response.get("LastEvaluatedKey"))

    def open(self, store_id: str, limit: int = 5) -> tuple[dict[str, int], list[AttentionEntry]]:
        """For the dashboard: the open count per kind and the first `limit` items; two DynamoDB calls whatever
        the store's size (the counter's GetItem and one Query)."""
        items, _ = self.page(store_id, limit)
        return self.counts(store_id), items
