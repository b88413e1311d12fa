"""Throttling counters in the identity table: one item per action, subject and fixed window.

pk `THROTTLE#{action}#{account or ip}`, sk `{window start}`; attributes count, expires_at (TTL at the window's
end). The window start is in the key, so an old window is never read again, however late TTL deletes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nozzly.accounts.domain.accounts import Window
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.domain.errors import TooManyRequests

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _key(window: Window) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"THROTTLE#{window.action.value}#{window.subject}"}, "sk": {"S": str(window.start)}}


class Throttle:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def take(self, windows: Sequence[Window], now: float) -> None:
        """Count one request in every window, or in none if any is full (429, nothing else happens).

        Counting before the work, in one conditional transaction, keeps parallel requests within the limit.
        """
        dynamodb = dynamodb_client(self._dynamodb)
        updates = [
            self._update(
                w,
                "ADD #count :one SET expires_at = :end",
                "attribute_not_exists(#count) OR #count < :limit",
                {":one": {"N": "1"}, ":end": {"N": str(w.end)}, ":limit": {"N": str(w.limit)}},
            )
            for w in windows
        ]
        try:
            dynamodb.transact_write_items(TransactItems=updates)  # type: ignore[arg-type]
        except dynamodb.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons") or []
            full = [w for w, r in zip(windows, reasons, strict=False) if r.get("Code") == "ConditionalCheckFailed"]
            # A conflict with a parallel request of the same subject is treated as throttled too.
            wait = max(w.retry_after(now) for w in full) if full else 1
            raise TooManyRequests("too many attempts; try again later", retry_after=wait) from error

    def give_back(self, windows: Sequence[Window]) -> None:
        """Uncount a request that turned out not to count (a login with the right password)."""
        dynamodb = dynamodb_client(self._dynamodb)
        updates = [
            self._update(w, "ADD #count :minus_one", "attribute_exists(#count)", {":minus_one": {"N": "-1"}})
            for w in windows
        ]
        try:
            dynamodb.transact_write_items(TransactItems=updates)  # type: ignore[arg-type]
        except dynamodb.exceptions.TransactionCanceledException:
            return  # a window already expired and was deleted: nothing left to give back

    def _update(self, window: Window, expression: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(window),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#count": "count"},  # COUNT is a reserved word
                "ExpressionAttributeValues": values,
            }
        }
