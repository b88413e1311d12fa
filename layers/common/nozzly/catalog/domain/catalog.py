"""The catalog as the storefront sees it: stores, categories, products and their stock."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class StoreStatus(StrEnum):
    ACTIVE = "active"  # imported (catalog import, the demo store): open without provisioning
    PENDING = "pending"  # opened by an operator; the provisioning workflow has not started seeding
    SEEDING = "seeding"
    READY = "ready"  # provisioned: open
    FAILED = "failed"  # provisioning failed; nothing was seeded
    DELETED = "deleted"  # soft deleted: absent for everyone


@dataclass(frozen=True, slots=True)
class Store:
    store_id: str
    name: str
    currency: str
    country: str
    niche: str = ""
    description: str = ""
    status: StoreStatus = StoreStatus.ACTIVE
    # Provisioning of a store opened by an operator; an imported store is complete from the start.
    progress: int = 100
    error: str | None = None
    owner: str | None = None  # the opening operator's sub; None for imported stores

    @property
    def is_open(self) -> bool:
        """Shoppers see the store: imported, or provisioned."""
        return self.status in (StoreStatus.ACTIVE, StoreStatus.READY)


@dataclass(frozen=True, slots=True)
class Category:
    store_id: str
    slug: str
    name: str
    description: str = ""
    position: int = 0
    parent: str | None = None
    product_count: int = 0
    deleted: bool = False  # soft deleted: gone from the storefront and default operator lists, restorable
    version: int = 0  # optimistic concurrency for operators' edits and moves
    image: ProductImage | None = None  # the banner, uploaded and processed like a product image (media)


@dataclass(frozen=True, slots=True)
class ProductImage:
    key: str
    alt: str
    content_type: str
    image_id: str = ""  # "" for images adopted by the catalog import before ids existed
    # Resized WebP copies made by the image processor: (width in px, object key), narrowest first.
    renditions: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Variant:
    variant_id: str
    sku: str
    title: str
    stock_on_hand: int
    reserved: int = 0
    low_stock_threshold: int = 3
    price: Money | None = None
    options: tuple[tuple[str, str], ...] = ()  # (option name, value), e.g. (("size", "M"), ("colour", "red"))
    weight_grams: int = 0  # shipped weight of one unit; 0 when not given (weight-banded shipping counts it as 0)

    def __post_init__(self) -> None:
        if self.weight_grams < 0:
            raise InvalidInput("weight cannot be negative", field="weight_grams")
        if self.stock_on_hand < 0:
            raise InvalidInput("stock on hand cannot be negative", field="stock_on_hand")
        if self.reserved < 0:
            raise InvalidInput("reserved stock cannot be negative", field="reserved")

    @property
    def available(self) -> int:
        """What can still be sold: on hand minus what open checkouts hold."""
        return max(self.stock_on_hand - self.reserved, 0)

    @property
    def stock_status(self) -> StockStatus:
        return stock_status(self.available, self.low_stock_threshold)


def stock_status(available: int, low_stock_threshold: int) -> StockStatus:
    if available <= 0:
        return StockStatus.OUT_OF_STOCK
    if available <= low_stock_threshold:
        return StockStatus.LOW_STOCK
    return StockStatus.IN_STOCK


@dataclass(frozen=True, slots=True)
class ProductSource:
    """Where an imported product came from: the supplier's URL and SKU, and the import that made it."""

    url: str
    supplier_sku: str
    import_id: str
    needs_copy: bool = False  # the AI wrote no copy: the supplier's words stand until the owner writes some


@dataclass(frozen=True, slots=True)
class Product:
    store_id: str
    slug: str
    title: str
    price: Money
    category: str
    description: str = ""
    compare_at_price: Money | None = None
    status: ProductStatus = ProductStatus.PUBLISHED
    tags: tuple[str, ...] = ()
    images: tuple[ProductImage, ...] = ()
    variants: tuple[Variant, ...] = field(default_factory=tuple)
    brand: str | None = None  # the brand's slug
    cost: Money | None = None  # what the store pays: operators only, never shown to shoppers
    seo_title: str = ""
    seo_description: str = ""
    deleted: bool = False  # soft deleted: gone from the storefront and default operator lists, restorable
    created_at: int = 0  # epoch seconds; 0 for products imported before it was recorded
    # The category's ancestors from the root down, ending with the category itself: a subtree filter needs
    # no read of the tree. Rewritten when a category moves; () means just (category,).
    category_path: tuple[str, ...] = ()
    version: int = 0  # optimistic concurrency: every write of the item is conditioned on the version it read
    source: ProductSource | None = None  # imported from a supplier (imports capability); None: made here

    def __post_init__(self) -> None:
        if not self.variants:
            raise InvalidInput("a product needs at least one variant", field="variants")
        if self.price.is_negative:
            raise InvalidInput("price cannot be negative", field="price")
        if self.compare_at_price is not None and self.compare_at_price.currency != self.price.currency:
            raise InvalidInput("compare-at price must be in the product's currency", field="compare_at_price")
        if self.cost is not None and (self.cost.currency != self.price.currency or self.cost.is_negative):
            raise InvalidInput("cost must be non-negative and in the product's currency", field="cost")
        for variant in self.variants:
            if variant.price is not None and (
                variant.price.currency != self.price.currency or variant.price.is_negative
            ):
                raise InvalidInput(
                    "a variant's price must be non-negative and in the product's currency", field="variants"
                )
        skus = [v.sku for v in self.variants]
        if len(set(skus)) != len(skus):
            raise InvalidInput("variant SKUs must be unique", field="variants")

    @property
    def is_published(self) -> bool:
        """Shown on the storefront: published and not soft deleted."""
        return self.status is ProductStatus.PUBLISHED and not self.deleted

    @property
    def available(self) -> int:
        return sum(v.available for v in self.variants)

    @property
    def stock_status(self) -> StockStatus:
        statuses = {v.stock_status for v in self.variants}
        if StockStatus.IN_STOCK in statuses:
            return StockStatus.IN_STOCK
        if StockStatus.LOW_STOCK in statuses:
            return StockStatus.LOW_STOCK
        return StockStatus.OUT_OF_STOCK

    def price_of(self, variant: Variant) -> Money:
        return variant.price if variant.price is not None else self.price


def count_published_by_category(products: list[Product]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for product in products:
        if product.is_published:
            counts[product.category] = counts.get(product.category, 0) + 1
    return counts
