"""Catalog data access: categories and products of a store, all in the catalog table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from nozzly.catalog.adapters.brands import BRAND_PREFIX, brand_from_data
from nozzly.catalog.adapters.catalog_codec import (
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
from nozzly.catalog.adapters.catalog_listing import (
    CONTAINER_SORT,
    SORT_INDEXES,
    Sort,
    all_products_partition,
    category_products_partition,
    index_key_attrs,
    price_sort_key,
    root_listing_keys,
)
from nozzly.catalog.domain.brands import Brand
from nozzly.catalog.domain.catalog import Category, Product
from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read, read_together
from nozzly.kernel.adapters.dynamo import from_item, to_item, to_value
from nozzly.kernel.domain.errors import Conflict, NotFound

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

# Items a filtered listing page reads at most: a bound on its cost whatever the filters match.
FILTERED_READ_BUDGET = 100


@dataclass(frozen=True, slots=True)
class ProductPage:
    products: list[Product]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Listing:
    """Which published products a storefront listing shows, and in which order."""

    sort: Sort = Sort.TITLE
    category: str | None = None  # the category and every category below it
    brand: str | None = None
    price_min: int | None = None  # minor units, inclusive
    price_max: int | None = None
    in_stock: bool = False


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    slug: str
    created_at: int


def _price_bound(listing: Listing) -> str | None:
    """The sort-key bound that stops a price-ordered read where the wanted price range ends."""
    if listing.sort is Sort.PRICE_ASC and listing.price_max is not None:
        return price_sort_key(listing.price_max, descending=False) + "#~"
    if listing.sort is Sort.PRICE_DESC and listing.price_min is not None:
        return price_sort_key(listing.price_min, descending=True) + "#~"
    return None


def _filter_conditions(listing: Listing, values: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    conditions: list[str] = []
    names: dict[str, str] = {}
    if listing.category is not None:
        # category_path holds the product's category and all its ancestors: the subtree in one test.
        conditions.append("contains(#path, :category)")
        names["#path"] = "category_path"
        values[":category"] = {"S": listing.category}
    if listing.brand is not None:
        conditions.append("#brand = :brand")
        names["#brand"] = "brand"
        values[":brand"] = {"S": listing.brand}
    if listing.price_min is not None or listing.price_max is not None:
        names |= {"#price": "price", "#amount": "amount"}
    if listing.price_min is not None:
        conditions.append("#price.#amount >= :price_min")
        values[":price_min"] = {"N": str(listing.price_min)}
    if listing.price_max is not None:
        conditions.append("#price.#amount <= :price_max")
        values[":price_max"] = {"N": str(listing.price_max)}
    if listing.in_stock:
        conditions.append("#stocked = :true")
        names["#stocked"] = "in_stock"
        values[":true"] = {"BOOL": True}
    return conditions, names


class CatalogRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
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
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            items += [from_item(i) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if not items or items[0]["sk"] != catalog_root_sk() or is_deleted_container(items[0]):
            raise NotFound(f"store {store_id!r} not found", field="store")
        # Operators' soft-deleted categories are gone for shoppers (their listings answer 404: deleted container).
        categories = [c for c in map(category_from_data, items[1:]) if not c.deleted]
        return sorted(categories, key=lambda c: (c.position, c.name))

    def list_brands(self, store_id: str) -> list[Brand]:
        """The store's live brands by name, in one Query: `BRAND#` items sort just before the catalog root
        (`CATEGORY#`), so one key range holds both, and the root proves the store exists."""
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :root",
            "ExpressionAttributeValues": {
                ":pk": {"S": store_id},
                ":first": {"S": BRAND_PREFIX},
                ":root": {"S": catalog_root_sk()},
            },
        }
        while True:  # more than one page only past 1 MB of brands
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            items += [from_item(i) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if not items or items[-1]["sk"] != catalog_root_sk() or is_deleted_container(items[-1]):
            raise NotFound(f"store {store_id!r} not found", field="store")
        brands = [brand_from_data(i) for i in items if i["sk"].startswith(BRAND_PREFIX)]
        return sorted((b for b in brands if not b.deleted), key=lambda b: (b.name.casefold(), b.slug))

    def list_products(self, store_id: str, listing: Listing, *, cursor: str | None, limit: int) -> ProductPage:
        """One Query on the index of the listing's sort; the catalog root comes first and proves the store.

        Without filters a page is exact: `limit` products plus one look-ahead item. With filters DynamoDB reads
        up to FILTERED_READ_BUDGET items of the index and returns those that pass, so a page may come back
        short (even empty) with a next_cursor; it costs what it read, not what it returned (README.md).
        """
        index = SORT_INDEXES[listing.sort]
        partition_attr, sort_attr = index_key_attrs(index)
        partition = all_products_partition(store_id)
        key_attrs = ("pk", "sk", partition_attr, sort_attr)  # a GSI query's LastEvaluatedKey
        values: dict[str, Any] = {":p": {"S": partition}}
        key_condition = f"{partition_attr} = :p"
        bound = _price_bound(listing)
        if bound is not None:  # the price side a price sort reads towards ends the read early
            key_condition += f" AND {sort_attr} <= :bound"
            values[":bound"] = {"S": bound}
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": key_condition,
            "ExpressionAttributeValues": values,
        }
        conditions, names = _filter_conditions(listing, values)
        if conditions:
            # The root passes every filter: page one must still see it.
            kwargs["FilterExpression"] = "#type = :root OR (" + " AND ".join(conditions) + ")"
            kwargs["ExpressionAttributeNames"] = names | {"#type": "type"}
            values[":root"] = {"S": "catalog_root"}
            kwargs["Limit"] = max(FILTERED_READ_BUDGET, limit + 2)
        else:
            # One extra item tells whether a next page exists; one more is the container on page one.
            kwargs["Limit"] = limit + (1 if cursor else 2)
        if cursor:
            kwargs["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=set(key_attrs), partition_attr=partition_attr, partition_value=partition
            )
        response = dynamodb_client(self._dynamodb).query(**kwargs)
        items = [from_item(i) for i in response["Items"]]
        if not cursor:
            # A deleted store's root still sorts first, marked deleted.
            if not items or items[0][sort_attr] != CONTAINER_SORT or is_deleted_container(items[0]):
                raise NotFound(f"store {store_id!r} not found", field="store")
            items = items[1:]
        page = items[:limit]
        if len(items) > limit:  # more matched than fit: continue after the page's last product
            next_cursor = cursors.encode({k: {"S": page[-1][k]} for k in key_attrs})
        else:  # continue where DynamoDB stopped reading (its Limit, a filter budget or the 1 MB cut)
            next_cursor = cursors.encode(response.get("LastEvaluatedKey"))
        return ProductPage([product_from_data(i) for i in page], next_cursor)

    def category_page(self, store_id: str, category: str, limit: int) -> list[Product]:
        """The first products of one category (its own, by title): the related-products candidates.

        The category's container sorts first; a missing or deleted category lists nothing.
        """
        response = dynamodb_client(self._dynamodb).query(
            TableName=self.table,
            IndexName="gsi2",
            KeyConditionExpression="gsi2pk = :p",
            ExpressionAttributeValues={":p": {"S": category_products_partition(store_id, category)}},
            Limit=limit + 1,
        )
        items = [from_item(i) for i in response["Items"]]
        if not items or items[0]["gsi2sk"] != CONTAINER_SORT or is_deleted_container(items[0]):
            raise NotFound(f"category {category!r} not found", field="category")
        return [product_from_data(i) for i in items[1:]]

    def sitemap_entries(self, store_id: str, limit: int) -> tuple[list[SitemapEntry], bool]:
        """Slugs and creation times of the store's published products (title order), keys and two fields only.

        Returns the entries and whether the store has more than fitted in one read.
        """
        partition_attr, sort_attr = index_key_attrs(SORT_INDEXES[Sort.TITLE])
        response = dynamodb_client(self._dynamodb).query(
            TableName=self.table,
            IndexName=SORT_INDEXES[Sort.TITLE],
            KeyConditionExpression=f"{partition_attr} = :p",
            ExpressionAttributeValues={":p": {"S": all_products_partition(store_id)}},
            ProjectionExpression=f"slug, created_at, deleted, {sort_attr}",
            Limit=limit + 1,
        )
        items = [from_item(i) for i in response["Items"]]
        if not items or items[0][sort_attr] != CONTAINER_SORT or is_deleted_container(items[0]):
            raise NotFound(f"store {store_id!r} not found", field="store")
        entries = [SitemapEntry(i["slug"], int(i.get("created_at", 0))) for i in items[1:]]
        return entries, "LastEvaluatedKey" in response

    def get_product(self, store_id: str, slug: str) -> Product:
        """The product and the catalog root in one BatchGetItem: a product of a deleted store is absent too."""
        keys = [{"pk": {"S": store_id}, "sk": {"S": sk}} for sk in (catalog_root_sk(), product_sk(slug))]
        request: dict[str, Any] = {self.table: {"Keys": keys}}
        found: list[dict[str, Any]] = []
        while request:  # unprocessed keys only under throttling; the store's answer must not depend on it
            response = dynamodb_client(self._dynamodb).batch_get_item(RequestItems=request)
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
                {"type": "catalog_root", **root_listing_keys(store_id)},
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
        response = dynamodb_client(self._dynamodb).query(
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

    def put_product(self, product: Product) -> Literal["created", "updated", "unchanged"]:
        """An imported product: its SKUs claimed first (a SKU of another product stops it), then the item.
        Answers what the Put did, judged from the item it replaced (a retried step writes the same item)."""
        dynamodb = dynamodb_client(self._dynamodb)
        for variant in product.variants:
            try:
                dynamodb.put_item(**sku_claim(self.table, product.store_id, product.slug, variant.sku))
            except dynamodb.exceptions.ConditionalCheckFailedException:
                raise Conflict(f"SKU {variant.sku!r} belongs to another product", field="sku") from None
        # A re-import replaces the product whole; open reservations arrive with the checkout issue.
        item = to_item(product_to_data(product))
        old = dynamodb.put_item(TableName=self.table, Item=item, ReturnValues="ALL_OLD").get("Attributes")
        if not old:
            return "created"
        return "unchanged" if old == item else "updated"

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
            response = dynamodb_client(self._dynamodb).query(**kwargs)
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
        dynamodb = dynamodb_client(self._dynamodb)
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

    # ---- carts and checkout: the products behind cart lines
    def products_by_slug(self, store_id: str, slugs: set[str]) -> dict[str, Product]:
        """The products that exist (deleted or not: callers judge), in one BatchGetItem per 100 slugs."""
        found: dict[str, Product] = {}
        ordered = sorted(slugs)
        for start in range(0, len(ordered), 100):
            keys = [{"pk": {"S": store_id}, "sk": {"S": product_sk(s)}} for s in ordered[start : start + 100]]
            request: dict[str, Any] = {self.table: {"Keys": keys, "ConsistentRead": True}}
            while request:
                response = dynamodb_client(self._dynamodb).batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self.table, []):
                    product = product_from_data(from_item(item))
                    found[product.slug] = product
                request = response.get("UnprocessedKeys") or {}
        return found

    def product_read(self, store_id: str, slug: str) -> Read[Product]:
        """A product whatever its status (callers judge), for a unit of work's ReadSet."""
        return Read(self.table, {"pk": {"S": store_id}, "sk": {"S": product_sk(slug)}}, product_from_data)

    def titles(self, store_id: str, slugs: Sequence[str]) -> dict[str, str]:
        """Slug -> title of each product that exists, whatever its status (reports name what sold even if it was
        deleted since); one BatchGetItem per 100 slugs, none for no slug."""
        unique = list(dict.fromkeys(slugs))
        found = read_together([self.product_read(store_id, s) for s in unique]) if unique else []
        return {slug: p.title for slug, p in zip(unique, found, strict=True) if p is not None}
