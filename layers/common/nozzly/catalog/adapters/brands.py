"""A store's brands (catalog table, `BRAND#{slug}` items) and the check that a brand's logo image exists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.catalog.adapters.catalog_codec import image_data, image_from
from nozzly.catalog.domain.brands import Brand
from nozzly.kernel.adapters.aws import client, dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

BRAND_PREFIX = "BRAND#"


def brand_sk(slug: str) -> str:
    return f"{BRAND_PREFIX}{slug}"


def _to_data(brand: Brand) -> dict[str, Any]:
    return {
        "pk": brand.store_id,
        "sk": brand_sk(brand.slug),
        "type": "brand",
        "slug": brand.slug,
        "name": brand.name,
        "description": brand.description,
        "logo_key": brand.logo_key,
        "deleted": brand.deleted,
        "version": brand.version,
        "logo": image_data(brand.logo) if brand.logo else None,
    }


def brand_from_data(data: dict[str, Any]) -> Brand:
    return Brand(
        store_id=data["pk"],
        slug=data["slug"],
        name=data["name"],
        description=data.get("description", ""),
        logo_key=data.get("logo_key"),
        deleted=bool(data.get("deleted", False)),
        version=int(data.get("version", 0)),
        logo=image_from(data["logo"]) if data.get("logo") else None,
    )


class BrandsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def _key(self, store_id: str, slug: str) -> dict[str, Any]:
        return {"pk": {"S": store_id}, "sk": {"S": brand_sk(slug)}}

    def all(self, store_id: str) -> list[Brand]:
        """Every brand of the store, deleted ones too (one Query; brands are few and small)."""
        brands: list[Brand] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": BRAND_PREFIX}},
            "ConsistentRead": True,
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            brands += [brand_from_data(from_item(i)) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return brands
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def find(self, store_id: str, slug: str) -> Brand | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=self._key(store_id, slug), ConsistentRead=True
        )
        return brand_from_data(from_item(response["Item"])) if "Item" in response else None

    def put_op(self, brand: Brand, read_version: int | None) -> dict[str, Any]:
        """Create (read_version None: only if the slug is free) or replace the brand read at read_version."""
        put: dict[str, Any] = {"TableName": self.table, "Item": to_item(_to_data(brand))}
        if read_version is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :read"
            put["ExpressionAttributeValues"] = {":read": {"N": str(read_version)}}
        return {"Put": put}

    def live_op(self, store_id: str, slug: str) -> dict[str, Any]:
        """A product naming the brand is written only while the brand exists and is not deleted."""
        return {
            "ConditionCheck": {
                "TableName": self.table,
                "Key": self._key(store_id, slug),
                "ConditionExpression": "attribute_exists(pk) AND deleted = :false",
                "ExpressionAttributeValues": {":false": {"BOOL": False}},
            }
        }


class BrandLogos:
    """Logo images live in the images bucket; the upload pipeline puts them there, a brand only points at one."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def exists(self, key: str) -> bool:
        s3 = client("s3")
        try:
            s3.head_object(Bucket=self.bucket, Key=key)
        except s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True
