"""How catalog domain objects are laid out as DynamoDB items (see README.md for the key design)."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.adapters.catalog_listing import (
    CONTAINER_SORT,
    category_products_partition,
    listing_keys,
    root_listing_keys,
)
from nozzly.catalog.domain.catalog import Category, Product, ProductImage, ProductSource, ProductStatus, Variant
from nozzly.catalog.domain.catalog_rules import sku_key
from nozzly.kernel.adapters.dynamo import to_item
from nozzly.kernel.domain.money import Money


def catalog_root_sk() -> str:
    return "CATEGORY#"


def catalog_root_data(store_id: str) -> dict[str, Any]:
    """A new store's catalog root: the container of the "all products" listing; proves the store exists."""
    return {
        "pk": store_id,
        "sk": catalog_root_sk(),
        "type": "catalog_root",
        **root_listing_keys(store_id),
        "product_count": 0,
    }


def is_deleted_container(data: dict[str, Any]) -> bool:
    """A soft-deleted store keeps its catalog, but its root and categories (the listings' containers) say
    the store is gone: each listing reads its container first anyway, so hiding costs no extra read."""
    return bool(data.get("deleted", False))


def category_sk(slug: str) -> str:
    return f"CATEGORY#{slug}"


def product_sk(slug: str) -> str:
    return f"PRODUCT#{slug}"


PRODUCT_PREFIX = "PRODUCT#"
SKU_PREFIX = "SKU#"


def sku_guard_sk(sku_key: str) -> str:
    """One item per SKU of the store (domain.catalog_rules.sku_key): a conditional put of it claims the SKU."""
    return f"{SKU_PREFIX}{sku_key}"


def sku_claim(table: str, store_id: str, product_slug: str, sku: str) -> dict[str, Any]:
    """PutItem arguments claiming a SKU for a product: free, or already this product's (idempotent)."""
    return {
        "TableName": table,
        "Item": to_item(
            {"pk": store_id, "sk": sku_guard_sk(sku_key(sku)), "type": "sku", "sku": sku, "product": product_slug}
        ),
        "ConditionExpression": "attribute_not_exists(pk) OR #product = :product",
        "ExpressionAttributeNames": {"#product": "product"},
        "ExpressionAttributeValues": {":product": {"S": product_slug}},
    }


def sku_release(table: str, store_id: str, product_slug: str, sku: str) -> dict[str, Any]:
    """DeleteItem arguments freeing a product's SKU (absent: nothing to free; another product's: refused)."""
    return {
        "TableName": table,
        "Key": {"pk": {"S": store_id}, "sk": {"S": sku_guard_sk(sku_key(sku))}},
        "ConditionExpression": "attribute_not_exists(pk) OR #product = :product",
        "ExpressionAttributeNames": {"#product": "product"},
        "ExpressionAttributeValues": {":product": {"S": product_slug}},
    }


def _money(data: dict[str, Any] | None) -> Money | None:
    return Money(data["amount"], data["currency"]) if data else None


def _money_data(money: Money | None) -> dict[str, Any] | None:
    return {"amount": money.amount, "currency": money.currency} if money else None


def category_to_data(category: Category) -> dict[str, Any]:
    image = {"image": image_data(category.image)} if category.image else {}
    return image | {
        "pk": category.store_id,
        "sk": category_sk(category.slug),
        "type": "category",
        "gsi2pk": category_products_partition(category.store_id, category.slug),
        "gsi2sk": CONTAINER_SORT,
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "position": category.position,
        "parent": category.parent,
    }


def category_from_data(data: dict[str, Any]) -> Category:
    return Category(
        store_id=data["pk"],
        slug=data["slug"],
        name=data["name"],
        description=data.get("description", ""),
        position=data.get("position", 0),
        parent=data.get("parent"),
        product_count=data.get("product_count", 0),
        deleted=bool(data.get("deleted", False)),
        version=int(data.get("version", 0)),
        image=image_from(data["image"]) if data.get("image") else None,
    )


def product_to_data(product: Product) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pk": product.store_id,
        "sk": product_sk(product.slug),
        "type": "product",
        "slug": product.slug,
        "title": product.title,
        "description": product.description,
        "category": product.category,
        "status": product.status.value,
        "price": _money_data(product.price),
        "compare_at_price": _money_data(product.compare_at_price),
        "tags": list(product.tags),
        "images": [image_data(i) for i in product.images],
        "variants": [
            {
                "id": v.variant_id,
                "sku": v.sku,
                "title": v.title,
                "stock_on_hand": v.stock_on_hand,
                "reserved": v.reserved,
                "low_stock_threshold": v.low_stock_threshold,
                "price": _money_data(v.price),
                "options": [[name, value] for name, value in v.options],
                "weight_grams": v.weight_grams,
            }
            for v in product.variants
        ],
        "brand": product.brand,
        "cost": _money_data(product.cost),
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "deleted": product.deleted,
        "created_at": product.created_at,
        "category_path": list(product.category_path or (product.category,)),
        "version": product.version,
    }
    if product.source is not None:
        data["source"] = {
            "url": product.source.url,
            "supplier_sku": product.source.supplier_sku,
            "import_id": product.source.import_id,
            "needs_copy": product.source.needs_copy,
        }
    return data | listing_keys(product)


def image_data(image: ProductImage) -> dict[str, Any]:
    data: dict[str, Any] = {"key": image.key, "alt": image.alt, "content_type": image.content_type}
    if image.image_id:
        data["id"] = image.image_id
    if image.renditions:
        data["renditions"] = {str(width): key for width, key in image.renditions}
    return data


def image_from(data: dict[str, Any]) -> ProductImage:
    renditions = sorted((int(width), key) for width, key in data.get("renditions", {}).items())
    return ProductImage(
        key=data["key"],
        alt=data.get("alt", ""),
        content_type=data["content_type"],
        image_id=data.get("id", ""),
        renditions=tuple(renditions),
    )


def product_from_data(data: dict[str, Any]) -> Product:
    return Product(
        store_id=data["pk"],
        slug=data["slug"],
        title=data["title"],
        description=data.get("description", ""),
        category=data["category"],
        status=ProductStatus(data.get("status", "published")),
        price=Money(data["price"]["amount"], data["price"]["currency"]),
        compare_at_price=_money(data.get("compare_at_price")),
        tags=tuple(data.get("tags", [])),
        images=tuple(image_from(i) for i in data.get("images", [])),
        variants=tuple(
            Variant(
                variant_id=v["id"],
                sku=v["sku"],
                title=v.get("title", "Default"),
                stock_on_hand=v["stock_on_hand"],
                reserved=v.get("reserved", 0),
                low_stock_threshold=v.get("low_stock_threshold", 3),
                price=_money(v.get("price")),
                options=tuple((name, value) for name, value in v.get("options", [])),
                weight_grams=int(v.get("weight_grams", 0)),
            )
            for v in data["variants"]
        ),
        brand=data.get("brand"),
        cost=_money(data.get("cost")),
        seo_title=data.get("seo_title", ""),
        seo_description=data.get("seo_description", ""),
        deleted=bool(data.get("deleted", False)),
        created_at=int(data.get("created_at", 0)),
        category_path=tuple(data.get("category_path", [data["category"]])),
        version=int(data.get("version", 0)),
        source=_source(data.get("source")),
    )


def _source(data: dict[str, Any] | None) -> ProductSource | None:
    if not data:
        return None
    return ProductSource(data["url"], data["supplier_sku"], data["import_id"], bool(data.get("needs_copy", False)))
