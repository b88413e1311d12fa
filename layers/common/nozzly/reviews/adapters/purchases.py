"""What a shopper has bought, for the rules that need it (reviews: only buyers review): orders table items
`pk={store}, sk=PURCHASE#{sub}#{product}`, written with the order in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import to_item
from nozzly.orders.domain.orders import Order

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _sk(customer: str, product: str) -> str:
    return f"PURCHASE#{customer}#{product}"


class PurchasesRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def recorded_ops(self, order: Order) -> list[dict[str, Any]]:
        """One Put per product of a shopper's order (none for a guest's): a repeat purchase overwrites."""
        if order.customer is None:
            return []
        products = sorted({line.product_slug for line in order.lines})
        return [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": to_item(
                        {
                            "pk": order.store_id,
                            "sk": _sk(order.customer, product),
                            "type": "purchase",
                            "order_id": order.order_id,
                            "purchased_at": order.created_at,
                        }
                    ),
                }
            }
            for product in products
        ]

    def has_bought(self, store_id: str, customer: str, product: str) -> bool:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table,
            Key={"pk": {"S": store_id}, "sk": {"S": _sk(customer, product)}},
            ProjectionExpression="pk",
            ConsistentRead=True,
        )
        return "Item" in response
