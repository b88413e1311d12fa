"""Operators' reads and conditional writes of a store's catalog (catalog table; item layout in catalog_codec).

Every write of a product item is a conditional Put of the whole item on the version read, plus each variant's
`reserved` as read: a concurrent images update, stock change or checkout reservation makes it fail, never
be overwritten. The storefront's reads are in catalog.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.catalog.adapters.catalog_codec import (
    PRODUCT_PREFIX,
    catalog_root_sk,
    category_from_data,
    category_sk,
    category_to_data,
    is_deleted_container,
    product_from_data,
    product_sk,
    product_to_data,
    sku_claim,
    sku_guard_sk,
    sku_release,
)
from nozzly.catalog.domain.admin_search import ProductQuery
from nozzly.catalog.domain.catalog import Category, Product, ProductStatus
from nozzly.catalog.domain.catalog_rules import sku_key
from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item, to_value
from nozzly.kernel.domain.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

_KEY_ATTRS = {"pk", "sk"}
# A text search reads the store's products in batches and stops after this many in one request (then the page
# may be short): bounded latency and read cost whatever the catalog's size.
SEARCH_READ_BATCH = 200
SEARCH_READ_BUDGET = 1000


@dataclass(frozen=True, slots=True)
class AdminProductPage:
    products: list[Product]
    next_cursor: str | None


def _live() -> str:
    return "(attribute_not_exists(deleted) OR deleted = :false)"


class CatalogAdminRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def _key(self, store_id: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": store_id}, "sk": {"S": sk}}

    # ---- reads (consistent: an operator reads what they just wrote)
    def categories(self, store_id: str) -> dict[str, Category]:
        """Every category of the store, deleted ones too; 404 if the store has no (live) catalog."""
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": catalog_root_sk()}},
            "ConsistentRead": True,
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            items += [from_item(i) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if not items or items[0]["sk"] != catalog_root_sk() or is_deleted_container(items[0]):
            raise NotFound(f"store {store_id!r} not found", field="store")
        return {c.slug: c for c in map(category_from_data, items[1:])}

    def find_product(self, store_id: str, slug: str) -> Product | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=self._key(store_id, product_sk(slug)), ConsistentRead=True
        )
        return product_from_data(from_item(response["Item"])) if "Item" in response else None

    def products(self, store_id: str, slugs: list[str]) -> dict[str, Product]:
        """Several products by slug, consistently (BatchGetItem, up to 100 per call)."""
        found: dict[str, Product] = {}
        keys = [self._key(store_id, product_sk(slug)) for slug in slugs]
        for start in range(0, len(keys), 100):
            request: dict[str, Any] = {self.table: {"Keys": keys[start : start + 100], "ConsistentRead": True}}
            while request:
                response = dynamodb_client(self._dynamodb).batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self.table, []):
                    product = product_from_data(from_item(item))
                    found[product.slug] = product
                request = response.get("UnprocessedKeys") or {}
        return found

    def taken_slugs(self, store_id: str, prefix: str, base: str) -> set[str]:
        """Slugs in use that start with `base` (deleted things keep theirs), for picking a free one."""
        taken: set[str] = set()
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": prefix + base}},
            "ProjectionExpression": "sk",
            "ConsistentRead": True,
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            taken |= {i["sk"]["S"][len(prefix) :] for i in response["Items"]}
            if "LastEvaluatedKey" not in response:
                return taken
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def list_products(
        self,
        store_id: str,
        *,
        status: ProductStatus | None,
        deleted: bool,
        category: str | None,
        query: ProductQuery | None = None,
        cursor: str | None,
        limit: int,
    ) -> AdminProductPage:
        """Products in slug order, filtered; a category matches its whole subtree (category_path)."""
        filters = ["deleted = :true" if deleted else _live()]
        values: dict[str, Any] = {":pk": {"S": store_id}, ":prefix": {"S": PRODUCT_PREFIX}}
        values |= {":true": {"BOOL": True}} if deleted else {":false": {"BOOL": False}}
        names: dict[str, str] = {}
        if status is not None:
            filters.append("#status = :status")
            values[":status"] = {"S": status.value}
            names["#status"] = "status"
        if category is not None:
            filters.append("contains(category_path, :category)")
            values[":category"] = {"S": category}
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "FilterExpression": " AND ".join(filters),
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        if names:
            kwargs["ExpressionAttributeNames"] = names
        if cursor:
            start = cursors.decode(cursor, key_attrs=_KEY_ATTRS, partition_attr="pk", partition_value=store_id)
            if not start["sk"]["S"].startswith(PRODUCT_PREFIX):
                raise InvalidInput("cursor does not belong to this listing", field="cursor")
            kwargs["ExclusiveStartKey"] = start
        if query is not None:
            return self._searched_page(store_id, kwargs, query, limit)
        items: list[dict[str, Any]] = []
        # The filter applies after DynamoDB's Limit: read pages until one more than a page matched, or the end.
        while len(items) <= limit:
            kwargs["Limit"] = max(limit + 1 - len(items), 25)
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            items += [from_item(i) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        page = items[:limit]
        more = len(items) > limit or ("LastEvaluatedKey" in response and len(items) == limit)
        next_cursor = cursors.encode({"pk": {"S": store_id}, "sk": {"S": page[-1]["sk"]}}) if more and page else None
        return AdminProductPage([product_from_data(i) for i in page], next_cursor)

    def _searched_page(
        self, store_id: str, kwargs: dict[str, Any], query: ProductQuery, limit: int
    ) -> AdminProductPage:
        """The text match runs here, after DynamoDB's filter, on at most SEARCH_READ_BUDGET products read.

        A rare match in a large catalog would otherwise read the whole partition in one request; with the
        budget spent the page is short (even empty) and its cursor resumes after the last product read.
        """
        found: list[Product] = []
        examined = 0
        while True:
            kwargs["Limit"] = SEARCH_READ_BATCH
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            examined += response.get("ScannedCount", len(response["Items"]))
            for item in response["Items"]:
                product = product_from_data(from_item(item))
                if not query.matches(product):
                    continue
                if len(found) == limit:  # one more than a page: there is a next page, after the last shown
                    return AdminProductPage(found, self._cursor(store_id, found[-1].slug))
                found.append(product)
            if "LastEvaluatedKey" not in response:
                return AdminProductPage(found, None)
            if examined >= SEARCH_READ_BUDGET:
                return AdminProductPage(found, cursors.encode(response["LastEvaluatedKey"]))
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _cursor(self, store_id: str, slug: str) -> str | None:
        return cursors.encode({"pk": {"S": store_id}, "sk": {"S": product_sk(slug)}})

    def products_where(self, store_id: str, *, category_in_path: str, live_only: bool) -> list[Product]:
        """Products whose category path holds the category (its whole subtree): moves and delete checks."""
        filters = ["contains(category_path, :c)"] + ([_live()] if live_only else [])
        values: dict[str, Any] = {
            ":pk": {"S": store_id},
            ":prefix": {"S": PRODUCT_PREFIX},
            ":c": {"S": category_in_path},
        } | ({":false": {"BOOL": False}} if live_only else {})
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "FilterExpression": " AND ".join(filters),
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        found: list[Product] = []
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            found += [product_from_data(from_item(i)) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return found
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def all_products(self, store_id: str) -> list[Product]:
        """Every product of the store, deleted ones too (nightly jobs: the SEO report, the blog's keywords)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": PRODUCT_PREFIX}},
        }
        found: list[Product] = []
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            found += [product_from_data(from_item(i)) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return found
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def count_live_products(self, store_id: str) -> int:
        """How many undeleted products the store has (Select COUNT): seeds the plan's product counter once."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "FilterExpression": _live(),
            "ExpressionAttributeValues": {
                ":pk": {"S": store_id},
                ":prefix": {"S": PRODUCT_PREFIX},
                ":false": {"BOOL": False},
            },
            "Select": "COUNT",
            "ConsistentRead": True,
        }
        count = 0
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            count += response["Count"]
            if "LastEvaluatedKey" not in response:
                return count
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def sku_owner(self, store_id: str, sku: str) -> str | None:
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=self._key(store_id, sku_guard_sk(sku_key(sku))), ConsistentRead=True
        )
        return str(response["Item"]["product"]["S"]) if "Item" in response else None

    # ---- transaction items
    def product_put_op(self, product: Product, read: Product | None) -> dict[str, Any]:
        """Put the product (its version one above what was read); new: only if the slug is free."""
        put: dict[str, Any] = {"TableName": self.table, "Item": to_item(product_to_data(product))}
        if read is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
            return {"Put": put}
        conditions = ["version = :version"]
        values: dict[str, Any] = {":version": {"N": str(read.version)}}
        for i, variant in enumerate(read.variants):
            # Checkout may hold stock without a version bump: never write back a stale reservation.
            conditions.append(f"variants[{i}].reserved = :r{i}")
            values[f":r{i}"] = {"N": str(variant.reserved)}
        if read.version == 0:  # imported before versions existed
            conditions[0] = "(version = :version OR attribute_not_exists(version))"
        put |= {"ConditionExpression": " AND ".join(conditions), "ExpressionAttributeValues": values}
        return {"Put": put}

    def category_unchanged_op(self, category: Category) -> dict[str, Any]:
        """Check a category of a product's path: live, and hanging where it did when the path was computed."""
        parent = "attribute_not_exists(parent)" if category.parent is None else "parent = :parent"
        values: dict[str, Any] = {":false": {"BOOL": False}}
        if category.parent is not None:
            values[":parent"] = {"S": category.parent}
        return {
            "ConditionCheck": {
                "TableName": self.table,
                "Key": self._key(category.store_id, category_sk(category.slug)),
                "ConditionExpression": f"attribute_exists(pk) AND {_live()} AND {parent}",
                "ExpressionAttributeValues": values,
            }
        }

    def sku_claim_op(self, store_id: str, product_slug: str, sku: str) -> dict[str, Any]:
        return {"Put": sku_claim(self.table, store_id, product_slug, sku)}

    def sku_release_op(self, store_id: str, product_slug: str, sku: str) -> dict[str, Any]:
        return {"Delete": sku_release(self.table, store_id, product_slug, sku)}

    def stock_op(self, product: Product, index: int, on_hand: int) -> dict[str, Any]:
        """One variant's stock on hand, only while the product is as read and never below what is reserved."""
        variant = f"variants[{index}]"
        changed = product.variants[index]
        # The storefront's in-stock filter (catalog/adapters/catalog_listing.py): exact, as the version is conditioned.
        left = product.available - changed.available + max(on_hand - changed.reserved, 0)
        return {
            "Update": {
                "TableName": self.table,
                "Key": self._key(product.store_id, product_sk(product.slug)),
                "UpdateExpression": f"SET {variant}.stock_on_hand = :n, version = :next, in_stock = :in_stock",
                "ConditionExpression": f"version = :version AND {variant}.id = :id AND {variant}.reserved <= :n",
                "ExpressionAttributeValues": {
                    ":n": {"N": str(on_hand)},
                    ":version": {"N": str(product.version)},
                    ":next": {"N": str(product.version + 1)},
                    ":id": {"S": product.variants[index].variant_id},
                    ":in_stock": {"BOOL": left > 0},
                },
            }
        }

    def category_create_op(self, category: Category) -> dict[str, Any]:
        data = category_to_data(category) | {"product_count": 0, "version": 1, "deleted": False}
        return {
            "Put": {"TableName": self.table, "Item": to_item(data), "ConditionExpression": "attribute_not_exists(pk)"}
        }

    def category_update_op(self, category: Category, read_version: int) -> dict[str, Any]:
        """Name, description, position, parent and deletion, conditioned on the version read; counts are kept."""
        fields: dict[str, Any] = {
            "name": category.name,
            "description": category.description,
            "position": category.position,
            "deleted": category.deleted,
            "version": read_version + 1,
        }
        names = {f"#f{i}": name for i, name in enumerate(fields)} | {"#parent": "parent"}
        values = {f":v{i}": to_value(value) for i, value in enumerate(fields.values())}
        expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields)))
        if category.parent is None:
            expression += " REMOVE #parent"
        else:
            expression = expression.replace("SET ", "SET #parent = :parent, ", 1)
            values[":parent"] = {"S": category.parent}
        condition = "attribute_exists(pk) AND " + (
            "(version = :read OR attribute_not_exists(version))" if read_version == 0 else "version = :read"
        )
        return {
            "Update": {
                "TableName": self.table,
                "Key": self._key(category.store_id, category_sk(category.slug)),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values | {":read": {"N": str(read_version)}},
            }
        }
