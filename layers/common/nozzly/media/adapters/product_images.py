"""A product's image list, changed in place on the product item (catalog table, `sk=PRODUCT#{slug}`).

The catalog's write side owns the rest of the item. Images change only through one conditional UpdateItem
of `images` and `version`, conditioned on the version read, never a full put: a concurrent edit of the
product's other fields is never overwritten, and a concurrent image change is noticed and retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nozzly.catalog.adapters.catalog_codec import image_data, image_from, product_sk
from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_value

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


@dataclass(frozen=True, slots=True)
class ProductImageList:
    images: tuple[ProductImage, ...]
    version: int
    deleted: bool


class ProductImagesRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def read(self, store_id: str, slug: str) -> ProductImageList | None:
        """The product's images and version (consistent: the version conditions the write); None if absent."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table,
            Key={"pk": {"S": store_id}, "sk": {"S": product_sk(slug)}},
            ProjectionExpression="images, version, deleted",
            ConsistentRead=True,
        )
        item = response.get("Item")
        if item is None:
            return None
        data = from_item(item)
        return ProductImageList(
            images=tuple(image_from(i) for i in data.get("images", [])),
            version=int(data.get("version", 0)),
            deleted=bool(data.get("deleted", False)),
        )

    def write(self, store_id: str, slug: str, images: Sequence[ProductImage], read_version: int) -> bool:
        """Replace the list if the product is still at `read_version`; False if it changed (or vanished)."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": store_id}, "sk": {"S": product_sk(slug)}},
                UpdateExpression="SET images = :list, version = version + :one",
                ConditionExpression="version = :read",
                ExpressionAttributeValues={
                    ":list": to_value([image_data(i) for i in images]),
                    ":one": {"N": "1"},
                    ":read": {"N": str(read_version)},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
