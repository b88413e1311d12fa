"""Catalog data access: categories and products of a store, all in the catalog table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nozzly.adapters import cursor as cursors
from nozzly.adapters.aws import client
from nozzly.adapters.catalog_codec import (
    catalog_root_data,
    catalog_root_sk,
    category_from_data,
    category_sk,
    category_to_data,
    is_deleted_container,
    product_from_data,
    product_sk,
    product_to_data,
    sku_claim,
)
from nozzly.adapters.catalog_listing import CONTAINER_SORT, all_products_partition, category_products_partition
from nozzly.adapters.dynamo import from_item, to_item, to_value
from nozzly.domain.catalog import Category, Product
from nozzly.domain.errors import Conflict, NotFound


@dataclass(frozen=True, slots=True)
class ProductPage:
    products: list[Product]
    next_cursor: str | None


class CatalogRepository:
    def __init__(self, table: str) -> None:
        self.table = table

    # ---- storefront reads: one DynamoDB call each
    def list_categories(self, store_id: str) -> list[Category]:
        """Query the store's CATEGORY# items; the catalog root (sk 'CATEGORY#') proves the store exists."""
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": catalog_root_sk()}},
        }
        while True:  # more than one page only past 1 MB of categories
            response = client("dynamodb").query(**kwargs)
            items += [from_item(i) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if not items or items[0]["sk"] != catalog_root_sk() or is_deleted_container(items[0]):
            raise NotFound(f"store {store_id!r} not found", field="store")
        # Operators' soft-deleted categories are gone for shoppers (their listings answer 404: deleted container).
        categories = [c for c in map(category_from_data, items[1:]) if not c.deleted]
        return sorted(categories, key=lambda c: (c.position, c.name))

    def list_products(self, store_id: str, *, category: str | None, cursor: str | None, limit: int) -> ProductPage:
        """Published products from a sparse index; the container item sorts first and proves existence."""
        index, partition_attr, sort_attr = ("gsi2", "gsi2pk", "gsi2sk") if category else ("gsi1", "gsi1pk", "gsi1sk")
        partition = category_products_partition(store_id, category) if category else all_products_partition(store_id)
        key_attrs = ("pk", "sk", partition_attr, sort_attr)  # a GSI query's LastEvaluatedKey
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": f"{partition_attr} = :p",
            "ExpressionAttributeValues": {":p": {"S": partition}},
            # One extra item tells whether a next page exists; one more is the container on page one.
            "Limit": limit + (1 if cursor else 2),
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=set(key_attrs), partition_attr=partition_attr, partition_value=partition
            )
        response = client("dynamodb").query(**kwargs)
        items = [from_item(i) for i in response["Items"]]
        if not cursor:
            # A deleted store's containers still sort first, marked deleted.
            if not items or items[0][sort_attr] != CONTAINER_SORT or is_deleted_container(items[0]):
                what = f"category {category!r}" if category else f"store {store_id!r}"
                raise NotFound(f"{what} not found", field="category" if category else "store")
            items = items[1:]
        page = items[:limit]
        if len(items) > limit:  # the look-ahead item exists: continue after the page's last product
            next_cursor = cursors.encode({k: {"S": page[-1][k]} for k in key_attrs})
        else:  # a read cut short by DynamoDB's 1 MB page limit continues where DynamoDB stopped
            next_cursor = cursors.encode(response.get("LastEvaluatedKey"))
        return ProductPage([product_from_data(i) for i in page], next_cursor)

    def get_product(self, store_id: str, slug: str) -> Product:
        """The product and the catalog root in one BatchGetItem: a product of a deleted store is absent too."""
        keys = [{"pk": {"S": store_id}, "sk": {"S": sk}} for sk in (catalog_root_sk(), product_sk(slug))]
        request: dict[str, Any] = {self.table: {"Keys": keys}}
        found: list[dict[str, Any]] = []
        while request:  # unprocessed keys only under throttling; the store's answer must not depend on it
            response = client("dynamodb").batch_get_item(RequestItems=request)
            found += [from_item(i) for i in response.get("Responses", {}).get(self.table, [])]
            request = response.get("UnprocessedKeys") or {}
        by_sk = {item["sk"]: item for item in found}
        root, product = by_sk.get(catalog_root_sk()), by_sk.get(product_sk(slug))
        if root is None or is_deleted_container(root) or product is None:
            raise NotFound(f"product {slug!r} not found", field="product")
        return product_from_data(product)

    # ---- writes
    def upsert_categories_ops(self, store_id: str, categories: list[Category]) -> list[dict[str, Any]]:
        """Transaction items creating the catalog root and categories; counts are kept, not reset."""
        ops = [
            self._keep_count_update(
                store_id,
                catalog_root_sk(),
                {
                    "type": "catalog_root",
                    "gsi1pk": all_products_partition(store_id),
                    "gsi1sk": CONTAINER_SORT,
                },
            )
        ]
        for category in categories:
            data = category_to_data(category)
            ops.append(self._keep_count_update(store_id, data.pop("sk"), {k: v for k, v in data.items() if k != "pk"}))
        return ops

    def create_ops(self, store_id: str, categories: tuple[Category, ...]) -> list[dict[str, Any]]:
        """A new store's root and categories, each only if absent: a second seeding is noticed, not merged."""
        items = [catalog_root_data(store_id), *(category_to_data(c) | {"product_count": 0} for c in categories)]
        return [
            {"Put": {"TableName": self.table, "Item": to_item(i), "ConditionExpression": "attribute_not_exists(pk)"}}
            for i in items
        ]

    def delete_ops(self, store_id: str) -> list[dict[str, Any]]:
        """Soft delete: mark the root and every category, the containers every storefront listing reads first."""
        response = client("dynamodb").query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": store_id}, ":prefix": {"S": catalog_root_sk()}},
            ProjectionExpression="sk",
            ConsistentRead=True,
        )  # at most 99 small items (the import's limit): far below one 1 MB page
        return [
            {
                "Update": {
                    "TableName": self.table,
                    "Key": {"pk": {"S": store_id}, "sk": item["sk"]},
                    "UpdateExpression": "SET deleted = :true",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeValues": {":true": {"BOOL": True}},
                }
            }
            for item in response["Items"]
        ]

    def _keep_count_update(self, store_id: str, sk: str, fields: dict[str, Any]) -> dict[str, Any]:
        names = {f"#f{i}": name for i, name in enumerate(fields)}
        values = {f":v{i}": to_value(value) for i, value in enumerate(fields.values()) if value is not None}
        sets = [f"#f{i} = :v{i}" for i, value in enumerate(fields.values()) if value is not None]
        removes = [f"#f{i}" for i, value in enumerate(fields.values()) if value is None]
        expression = "SET " + ", ".join([*sets, "product_count = if_not_exists(product_count, :zero)"])
        if removes:
            expression += " REMOVE " + ", ".join(removes)
        return {
            "Update": {
                "TableName": self.table,
                "Key": {"pk": {"S": store_id}, "sk": {"S": sk}},
                "UpdateExpression": expression,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values | {":zero": {"N": "0"}},
            }
        }

    def put_product(self, product: Product) -> None:
        """An imported product: its SKUs claimed first (a SKU of another product stops it), then the item."""
        dynamodb = client("dynamodb")
        for variant in product.variants:
            try:
                dynamodb.put_item(**sku_claim(self.table, product.store_id, product.slug, variant.sku))
            except dynamodb.exceptions.ConditionalCheckFailedException:
                raise Conflict(f"SKU {variant.sku!r} belongs to another product", field="sku") from None
        # A re-import replaces the product whole; open reservations arrive with the checkout issue.
        dynamodb.put_item(TableName=self.table, Item=to_item(product_to_data(product)))

    # ---- background: catalog statistics
    def load_all(self, store_id: str) -> tuple[list[Category], list[Product]]:
        categories: list[Category] = []
        products: list[Product] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": store_id}},
        }
        while True:
            response = client("dynamodb").query(**kwargs)
            for data in map(from_item, response["Items"]):
                if data.get("type") == "category":
                    categories.append(category_from_data(data))
                elif data.get("type") == "product":
                    products.append(product_from_data(data))
            if "LastEvaluatedKey" not in response:
                return categories, products
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def set_product_count(self, store_id: str, category: str | None, count: int) -> bool:
        """Set a category's count (None: the whole store's). False if the container is gone."""
        dynamodb = client("dynamodb")
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": store_id}, "sk": {"S": category_sk(category) if category else catalog_root_sk()}},
                UpdateExpression="SET product_count = :n",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":n": {"N": str(count)}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
