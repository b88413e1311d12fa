"""Back-in-stock subscriptions in the customers table: `pk={store}#BACKINSTOCK#{product}#{variant}`, `sk={email}`.

One partition per variant, so "who waits for this variant?" is one Query and subscribing twice rewrites one
item (idempotent per email). Removed when the email went out: one email per subscription.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _pk(store_id: str, product: str, variant: str) -> str:
    return f"{store_id}#BACKINSTOCK#{product}#{variant}"


class StockSubscriptions:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def subscribe(self, store_id: str, product: str, variant: str, email: str, now: int) -> None:
        dynamodb_client(self._dynamodb).put_item(
            TableName=self.table,
            Item={
                "pk": {"S": _pk(store_id, product, variant)},
                "sk": {"S": email},
                "type": {"S": "back_in_stock"},
                "at": {"N": str(now)},
            },
        )

    def subscribers(self, store_id: str, product: str, variant: str) -> list[str]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": _pk(store_id, product, variant)}},
            "ProjectionExpression": "sk",
        }
        found: list[str] = []
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            found.extend(item["sk"]["S"] for item in response["Items"])
            if "LastEvaluatedKey" not in response:
                return found
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def remove(self, store_id: str, product: str, variant: str, email: str) -> None:
        dynamodb_client(self._dynamodb).delete_item(
            TableName=self.table, Key={"pk": {"S": _pk(store_id, product, variant)}, "sk": {"S": email}}
        )
