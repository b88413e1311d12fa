"""The AI token count per store and day in the stores table: pk `{store}`, sk `AI_TOKENS#{YYYY-MM-DD}`,
attributes `used` (tokens reserved or spent) and `expires_at` (TTL: 8 days after the day began)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from nozzly.imports.domain.ai_budget import Reservation
from nozzly.imports.domain.ai_errors import BudgetExhausted
from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

_KEEP_SECONDS = 8 * 86_400


def _key(store_id: str, day: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"AI_TOKENS#{day}"}}


class AiBudgetRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._dynamodb = dynamodb

    def reserve(self, store_id: str, day: str, tokens: int, daily_limit: int) -> Reservation:
        """Count `tokens` against the day, or raise BudgetExhausted and count nothing (one conditional write)."""
        dynamodb = dynamodb_client(self._dynamodb)
        began = int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(store_id, day),
                UpdateExpression="ADD used :n SET expires_at = if_not_exists(expires_at, :end)",
                ConditionExpression="attribute_not_exists(used) OR used <= :room",
                ExpressionAttributeValues={
                    ":n": {"N": str(tokens)},
                    ":room": {"N": str(daily_limit - tokens)},
                    ":end": {"N": str(began + _KEEP_SECONDS)},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            raise BudgetExhausted(f"today's AI budget of {daily_limit} tokens is spent") from None
        if tokens > daily_limit:  # a first call larger than the whole budget: the condition let it through
            self.settle(Reservation(store_id, day, tokens), -tokens)
            raise BudgetExhausted(f"one call needs more than today's AI budget of {daily_limit} tokens")
        return Reservation(store_id, day, tokens)

    def settle(self, reservation: Reservation, delta: int) -> None:
        """Correct the day's count by `delta` (the real usage minus the reservation); unconditional."""
        if delta:
            dynamodb_client(self._dynamodb).update_item(
                TableName=self.table,
                Key=_key(reservation.store_id, reservation.day),
                UpdateExpression="ADD used :d",
                ExpressionAttributeValues={":d": {"N": str(delta)}},
            )

    def used(self, store_id: str, day: str) -> int:
        item = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=_key(store_id, day)).get("Item")
        return int(item["used"]["N"]) if item else 0
