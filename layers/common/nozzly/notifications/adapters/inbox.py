"""Each person's inbox in the notifications table; the only code that knows its items.

- `pk={store}#{audience}#{sub}, sk=N#{id}`: one notification (id: inverted time, event id; newest sorts first);
  attributes kind, title, body, link, created_at, read_at (absent: unread), expires_at (the table's TTL).
- `pk=...same..., sk=UNREAD`: `unread`, the number of unread notifications (ADD only, never below 0).
- `pk={store}#operator#{sub}, sk=PREFS`: `muted`, the kinds the operator turned off in this store.
- `pk=...same..., sk=X#{id}`: a tombstone, written when the TTL removed the notification while unread, in the
  transaction that takes it off the counter, so a redelivered stream record counts it off once (kept 2 days,
  the stream keeps records 24 hours).

A notification's Put (`attribute_not_exists`) and the counter's +1 are one transaction, so a redelivered event
writes and counts nothing; marking read is the item's `SET read_at` (only if unread) with the counter's -1
(only if above 0), one transaction too, so repeats count nothing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters import cursor
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.notifications.domain.notifications import Kind, Notification, Preferences, Recipient

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

__all__ = ["UNREAD_SK", "InboxRepository", "partition"]

PREFIX = "N#"
UNREAD_SK = "UNREAD"
PREFS_SK = "PREFS"
TOMBSTONE = "X#"


def partition(recipient: Recipient) -> str:
    return f"{recipient.store_id}#{recipient.audience.value}#{recipient.sub}"


def _key(recipient: Recipient, sk: str) -> dict[str, Any]:
    return {"pk": {"S": partition(recipient)}, "sk": {"S": sk}}


def _notification(data: dict[str, Any], recipient: Recipient) -> Notification:
    read_at = data.get("read_at")
    return Notification(
        id=str(data["sk"])[len(PREFIX) :],
        store_id=recipient.store_id,
        kind=Kind(str(data["kind"])),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        link=str(data.get("link") or ""),
        created_at=int(data["created_at"]),
        read_at=int(read_at) if read_at is not None else None,
        recipient=recipient,
    )


class InboxRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def _count(self, recipient: Recipient, delta: int) -> Write:
        update: dict[str, Any] = {
            "TableName": self.table,
            "Key": _key(recipient, UNREAD_SK),
            "UpdateExpression": "ADD unread :delta",
            "ExpressionAttributeValues": {":delta": {"N": str(delta)}},
        }
        if delta < 0:
            update["ConditionExpression"] = "unread >= :floor"
            update["ExpressionAttributeValues"][":floor"] = {"N": str(-delta)}
        return {"Update": update}

    def add_ops(self, notification: Notification) -> tuple[Write, Write]:
        """The notification's Put (only if new) and the unread counter's +1, for one transaction."""
        recipient = notification.recipient
        assert recipient is not None
        item = {
            "pk": partition(recipient),
            "sk": f"{PREFIX}{notification.id}",
            "type": "notification",
            "kind": notification.kind.value,
            "title": notification.title,
            "body": notification.body,
            "link": notification.link,
            "created_at": notification.created_at,
            "expires_at": notification.expires_at,
        }
        put = {
            "Put": {"TableName": self.table, "Item": to_item(item), "ConditionExpression": "attribute_not_exists(pk)"}
        }
        return put, self._count(recipient, 1)

    def mark_read_ops(self, recipient: Recipient, notification_id: str, at: int) -> tuple[Write, Write]:
        """The item's read_at (only if it exists and is unread) and the counter's -1, for one transaction."""
        update = {
            "Update": {
                "TableName": self.table,
                "Key": _key(recipient, f"{PREFIX}{notification_id}"),
                "UpdateExpression": "SET read_at = :at",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(read_at)",
                "ExpressionAttributeValues": {":at": {"N": str(at)}},
            }
        }
        return update, self._count(recipient, -1)

    def expired_unread(self, image: dict[str, Any]) -> tuple[Write, Write] | None:
        """For a notification the TTL removed (its old image from the stream): the tombstone's Put (only once) and
        the counter's -1, for one transaction; None when it had been read or is not a notification."""
        data = from_item(image)
        sk = str(data.get("sk") or "")
        if data.get("type") != "notification" or "read_at" in data or not sk.startswith(PREFIX):
            return None
        pk = str(data["pk"])
        tombstone = {
            "pk": pk,
            "sk": f"{TOMBSTONE}{sk[len(PREFIX) :]}",
            "type": "expired",
            "expires_at": int(time.time()) + 2 * 86_400,
        }
        put = {
            "Put": {
                "TableName": self.table,
                "Item": to_item(tombstone),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        counter = {
            "Update": {
                "TableName": self.table,
                "Key": {"pk": {"S": pk}, "sk": {"S": UNREAD_SK}},
                "UpdateExpression": "ADD unread :delta",
                "ConditionExpression": "unread >= :one",
                "ExpressionAttributeValues": {":delta": {"N": "-1"}, ":one": {"N": "1"}},
            }
        }
        return put, counter

    def get(self, recipient: Recipient, notification_id: str) -> Notification | None:
        item = (
            dynamodb_client(self._dynamodb)
            .get_item(TableName=self.table, Key=_key(recipient, f"{PREFIX}{notification_id}"), ConsistentRead=True)
            .get("Item")
        )
        return _notification(from_item(item), recipient) if item else None

    def unread(self, recipient: Recipient) -> int:
        item = (
            dynamodb_client(self._dynamodb)
            .get_item(TableName=self.table, Key=_key(recipient, UNREAD_SK), ConsistentRead=True)
            .get("Item")
        )
        return max(0, int(from_item(item).get("unread", 0))) if item else 0

    def page(
        self, recipient: Recipient, *, limit: int, after: str | None = None, unread_only: bool = False
    ) -> tuple[list[Notification], str | None]:
        """Newest first: one Query over the notifications (an unread filter reads read ones and drops them, so a
        page can come back short with a cursor)."""
        pk = partition(recipient)
        query: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": PREFIX}},
            "Limit": limit,
        }
        if unread_only:
            query["FilterExpression"] = "attribute_not_exists(read_at)"
        if after is not None:
            start = cursor.decode(after, key_attrs={"pk", "sk"}, partition_attr="pk", partition_value=pk)
            if not start["sk"]["S"].startswith(PREFIX):
                raise InvalidInput("cursor does not belong to this listing", field="cursor")
            query["ExclusiveStartKey"] = start
        response = dynamodb_client(self._dynamodb).query(**query)
        items = [_notification(from_item(i), recipient) for i in response.get("Items", [])]
        return items, cursor.encode(response.get("LastEvaluatedKey"))

    def preferences(self, recipient: Recipient) -> Preferences:
        item = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(recipient, PREFS_SK)).get("Item")
        muted = from_item(item).get("muted", []) if item else []
        return Preferences(frozenset(Kind(k) for k in muted if k in Kind.__members__.values()))

    def save_preferences(self, recipient: Recipient, preferences: Preferences, at: int) -> None:
        item = {
            "pk": partition(recipient),
            "sk": PREFS_SK,
            "type": "preferences",
            "muted": sorted(k.value for k in preferences.muted),
            "updated_at": at,
        }
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(item))
