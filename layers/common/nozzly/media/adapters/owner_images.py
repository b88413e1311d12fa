"""A category's banner (`image`) and a brand's logo (`logo`), changed in place on its catalog item.

The catalog's write side owns the rest of the item. The image changes only through one conditional UpdateItem
of that attribute and `version`, conditioned on the version read: an operator's concurrent edit (a brand's
whole-item Put, a category's conditional update) is never overwritten, and either side notices and retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.catalog.adapters.brands import brand_sk
from nozzly.catalog.adapters.catalog_codec import category_sk, image_data, image_from
from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_value
from nozzly.media.domain.image_uploads import ImageOwner

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

# (sort key of the owner's item, the attribute holding its image)
_SLOTS = {
    ImageOwner.CATEGORY: (category_sk, "image"),
    ImageOwner.BRAND: (brand_sk, "logo"),
}


@dataclass(frozen=True, slots=True)
class OwnerImage:
    image: ProductImage | None
    version: int
    deleted: bool


class OwnerImagesRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def _key(self, store_id: str, kind: ImageOwner, slug: str) -> dict[str, Any]:
        sort_key, _ = _SLOTS[kind]
        return {"pk": {"S": store_id}, "sk": {"S": sort_key(slug)}}

    def read(self, store_id: str, kind: ImageOwner, slug: str) -> OwnerImage | None:
        """The category's or brand's image and version (consistent: the version conditions the write)."""
        _, attribute = _SLOTS[kind]
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table,
            Key=self._key(store_id, kind, slug),
            ProjectionExpression="#image, version, deleted",
            ExpressionAttributeNames={"#image": attribute},
            ConsistentRead=True,
        )
        item = response.get("Item")
        if item is None:
            return None
        data = from_item(item)
        return OwnerImage(
            image=image_from(data[attribute]) if data.get(attribute) else None,
            version=int(data.get("version", 0)),
            deleted=bool(data.get("deleted", False)),
        )

    def write(self, store_id: str, kind: ImageOwner, slug: str, image: ProductImage | None, read_version: int) -> bool:
        """Set (or remove, None) the image if the item is still at `read_version`; False if it changed."""
        _, attribute = _SLOTS[kind]
        values: dict[str, Any] = {":one": {"N": "1"}, ":read": {"N": str(read_version)}}
        if image is None:
            update = "SET version = if_not_exists(version, :zero) + :one REMOVE #image"
        else:
            update = "SET #image = :image, version = if_not_exists(version, :zero) + :one"
            values[":image"] = to_value(image_data(image))
        values[":zero"] = {"N": "0"}
        # Items written before versions existed have none: version 0 is their absence.
        condition = "attribute_exists(pk) AND " + (
            "(version = :read OR attribute_not_exists(version))" if read_version == 0 else "version = :read"
        )
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=self._key(store_id, kind, slug),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeNames={"#image": attribute},
                ExpressionAttributeValues=values,
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
