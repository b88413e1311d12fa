"""A store's attention list (the dashboard shows it): stores table items
`pk={store}, sk=ATTENTION#{epoch seconds, 10 digits}#{product}#{variant}`, newest last.

Attributes: kind (`low_stock`), product, variant, title, variant_title, sku, available, threshold, at.
The time in the key is the stream record's, so a redelivered record rewrites the same item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.catalog.domain.stock_alerts import StockAlert
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import to_item

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def attention_sk(at: int, product: str, variant: str) -> str:
    return f"ATTENTION#{at:010d}#{product}#{variant}"


class AttentionList:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def add_low_stock(self, alert: StockAlert, at: int) -> None:
        dynamodb_client(self._dynamodb).put_item(
            TableName=self.table,
            Item=to_item(
                {
                    "pk": alert.store_id,
                    "sk": attention_sk(at, alert.product, alert.variant),
                    "type": "attention",
                    "kind": "low_stock",
                    **{k: v for k, v in alert.detail().items() if k != "store_id"},
                    "at": at,
                }
            ),
        )
