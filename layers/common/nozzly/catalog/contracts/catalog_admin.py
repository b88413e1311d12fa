"""Operators' catalog administration bodies and answers (products, variants, stock, categories, brands).

Admin answers show cost and stock on hand; the storefront's (catalog/contracts/storefront.py) never do.
PATCH bodies change only the fields they name; `null` clears an optional field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from nozzly.catalog.contracts.admin_fields import CLOSED, Name, Slug, Version, no_nulls, set_fields
from nozzly.catalog.contracts.storefront import RenditionOut, UrlFor
from nozzly.catalog.domain.catalog import Product, ProductImage, ProductSource, ProductStatus, Variant
from nozzly.catalog.domain.catalog_rules import MAX_OPTIONS, MAX_VARIANTS, SKU_PATTERN, NewProduct, NewVariant
from nozzly.catalog.domain.stock import AdjustmentReason, CommitReason, ShipmentReference, StockAdjustment
from nozzly.kernel.contracts.money import MoneyIn, MoneyOut
from nozzly.kernel.domain.slugs import slugify

Sku = Annotated[str, Field(pattern=SKU_PATTERN, description="Unique in the store, whatever its case.")]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=10_000)]
Tag = Annotated[str, Field(min_length=1, max_length=50)]
Units = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]
Grams = Annotated[int, Field(ge=0, le=1_000_000, strict=True, description="Shipped weight of one unit in grams.")]
Status = Literal["draft", "published", "archived"]
OptionName = Annotated[str, Field(min_length=1, max_length=40)]
OptionValue = Annotated[str, Field(min_length=1, max_length=80)]
Options = Annotated[dict[OptionName, OptionValue], Field(max_length=MAX_OPTIONS, examples=[{"size": "M"}])]


def _options(options: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(options.items())


# ---------------------------------------------------------------- products and variants
class VariantIn(BaseModel):
    model_config = CLOSED

    name: Name = Field(description="Shown to shoppers, e.g. 'Large / Red'.")
    sku: Sku
    options: Options = Field(default_factory=dict)
    price: MoneyIn | None = Field(default=None, description="Own price; null: the product's price.")
    stock_on_hand: Units = Field(default=0, description="Initial stock; later changes are stock adjustments.")
    low_stock_threshold: Units = 3
    weight_grams: Grams = 0


class VariantPatch(BaseModel):
    model_config = CLOSED

    name: Name | None = None
    sku: Sku | None = None
    options: Options | None = None
    price: MoneyIn | None = None
    low_stock_threshold: Units | None = None
    weight_grams: Grams | None = None

    @model_validator(mode="after")
    def _clearable(self) -> VariantPatch:
        no_nulls(self, frozenset({"price"}))
        return self

    def changes(self) -> dict[str, Any]:
        changes = set_fields(self)
        if "name" in changes:
            changes["title"] = changes.pop("name")
        if "options" in changes:
            changes["options"] = _options(changes["options"])
        if "price" in changes:
            changes["price"] = self.price.to_domain() if self.price else None
        return changes


class ProductIn(BaseModel):
    """A new product. Without `variants` it gets one default variant from `sku`, `stock_on_hand` and
    `low_stock_threshold`; with them those three must be absent."""

    model_config = CLOSED

    title: Title = Field(description="The product's slug (its URL) is made from it and never changes.")
    description: Description = ""
    category: Slug
    brand: Slug | None = Field(default=None, description="A brand's slug.")
    status: Status = "draft"
    price: MoneyIn
    compare_at_price: MoneyIn | None = None
    cost: MoneyIn | None = Field(default=None, description="What the store pays; never shown to shoppers.")
    seo_title: str = Field(default="", max_length=200)
    seo_description: str = Field(default="", max_length=500)
    tags: list[Tag] = Field(default_factory=list, max_length=30)
    variants: list[VariantIn] | None = Field(default=None, min_length=1, max_length=MAX_VARIANTS)
    sku: Sku | None = Field(default=None, description="The default variant's SKU (default: the slug, upper case).")
    stock_on_hand: Units | None = None
    low_stock_threshold: Units | None = None
    weight_grams: Grams | None = Field(default=None, description="The default variant's shipped weight.")

    @model_validator(mode="after")
    def _variants_or_default(self) -> ProductIn:
        default_fields = (self.sku, self.stock_on_hand, self.low_stock_threshold, self.weight_grams)
        if self.variants is not None and any(f is not None for f in default_fields):
            raise ValueError("give either variants or sku/stock_on_hand/low_stock_threshold, not both")
        return self


def new_variant(body: VariantIn) -> NewVariant:
    return NewVariant(
        name=body.name,
        sku=body.sku,
        options=_options(body.options),
        price=body.price.to_domain() if body.price else None,
        stock_on_hand=body.stock_on_hand,
        low_stock_threshold=body.low_stock_threshold,
        weight_grams=body.weight_grams,
    )


def new_product(body: ProductIn) -> NewProduct:
    if body.variants is not None:
        variants = tuple(new_variant(v) for v in body.variants)
    else:
        sku = body.sku or (slugify(body.title).upper() or "SKU")[:64]
        variants = (
            NewVariant(
                name="Default",
                sku=sku,
                stock_on_hand=body.stock_on_hand or 0,
                low_stock_threshold=3 if body.low_stock_threshold is None else body.low_stock_threshold,
                weight_grams=body.weight_grams or 0,
            ),
        )
    return NewProduct(
        title=body.title,
        category=body.category,
        price=body.price.to_domain(),
        variants=variants,
        description=body.description,
        status=ProductStatus(body.status),
        brand=body.brand,
        compare_at_price=body.compare_at_price.to_domain() if body.compare_at_price else None,
        cost=body.cost.to_domain() if body.cost else None,
        seo_title=body.seo_title,
        seo_description=body.seo_description,
        tags=tuple(body.tags),
    )


class ProductPatch(BaseModel):
    model_config = CLOSED

    title: Title | None = None
    description: Description | None = None
    category: Slug | None = None
    brand: Slug | None = None
    status: Status | None = None
    price: MoneyIn | None = None
    compare_at_price: MoneyIn | None = None
    cost: MoneyIn | None = None
    seo_title: str | None = Field(default=None, max_length=200)
    seo_description: str | None = Field(default=None, max_length=500)
    tags: list[Tag] | None = Field(default=None, max_length=30)
    version: Version | None = None

    @model_validator(mode="after")
    def _clearable(self) -> ProductPatch:
        no_nulls(self, frozenset({"brand", "compare_at_price", "cost"}))
        return self

    def changes(self) -> dict[str, Any]:
        changes = set_fields(self)
        for money in ("price", "compare_at_price", "cost"):
            if money in changes:
                value = getattr(self, money)
                changes[money] = value.to_domain() if value else None
        if "status" in changes:
            changes["status"] = ProductStatus(changes["status"])
        return changes


class BulkStatusIn(BaseModel):
    model_config = CLOSED

    products: list[Slug] = Field(min_length=1, max_length=100, description="Product slugs; all change or none.")
    status: Status


class StockAdjustmentIn(BaseModel):
    model_config = CLOSED

    delta: int = Field(
        strict=True,
        ge=-1_000_000,
        le=1_000_000,
        description="Units added (positive) or taken away (negative); not zero.",
    )
    reason: AdjustmentReason
    note: str = Field(default="", max_length=500)


class AdminVariantOut(BaseModel):
    id: str
    name: str
    sku: str
    options: dict[str, str]
    price: MoneyOut | None = Field(description="Own price; null: the product's.")
    stock_on_hand: int
    reserved: int = Field(description="Held by open checkouts.")
    available: int
    low_stock_threshold: int
    stock_status: str
    weight_grams: int = Field(description="Shipped weight of one unit in grams; 0 when not given.")


class AdminImageOut(BaseModel):
    id: str
    key: str
    alt: str
    content_type: str
    url: str = Field(description="The image's stable URL on the images CDN (drafts' images too).")
    renditions: list[RenditionOut] = Field(description="Resized copies, narrowest first; empty until processed.")


class ProductSourceOut(BaseModel):
    """Where an imported product came from (absent for products made in Nozzly)."""

    url: str = Field(description="The supplier's product URL it was imported from.")
    supplier_sku: str
    import_id: str = Field(description="The import that made it: GET /admin/stores/{store}/imports/{import_id}.")
    needs_copy: bool = Field(description="The AI wrote no copy; the supplier's words stand until the owner edits.")


class AdminProductOut(BaseModel):
    slug: str
    title: str
    description: str
    category: str
    category_path: list[str]
    brand: str | None
    status: Status
    price: MoneyOut
    compare_at_price: MoneyOut | None
    cost: MoneyOut | None
    seo_title: str
    seo_description: str
    tags: list[str]
    images: list[AdminImageOut] = Field(description="Managed by the product images routes.")
    variants: list[AdminVariantOut]
    deleted: bool
    created_at: int
    version: int
    source: ProductSourceOut | None = Field(default=None, description="Set on products imported from a supplier.")


class AdminProductPage(BaseModel):
    items: list[AdminProductOut]
    next_cursor: str | None = Field(
        description="The next page's cursor; null on the last page. A filtered page may be short, even empty, "
        "while more products follow."
    )


class ProductList(BaseModel):
    items: list[AdminProductOut]


class LedgerShipmentOut(BaseModel):
    order: str = Field(description="The order's id.")
    order_number: int
    fulfilment: str = Field(description="The fulfilment's id on that order.")


class StockAdjustmentOut(BaseModel):
    id: str
    product: str
    variant: str
    delta: int
    reason: AdjustmentReason | CommitReason = Field(
        description="An operator's reason, or fulfilment: stock the fulfil order workflow shipped (never posted)."
    )
    source: Literal["operator", "fulfilment"] = Field(
        description="operator: posted to this route; fulfilment: written when a fulfilment's stock was committed."
    )
    note: str
    on_hand_after: int
    by: str = Field(description="The operator's id (sub); a fulfilment's entry: who asked for the fulfilment.")
    at: int = Field(description="Epoch milliseconds.")
    shipment: LedgerShipmentOut | None = Field(description="A fulfilment's entry: the order and fulfilment it shipped.")


class AdjustedOut(BaseModel):
    adjustment: StockAdjustmentOut
    variant: AdminVariantOut


class AdjustmentPage(BaseModel):
    items: list[StockAdjustmentOut]
    next_cursor: str | None


def _money(value: Any) -> MoneyOut | None:
    return MoneyOut.of(value) if value is not None else None


def variant_out(variant: Variant) -> AdminVariantOut:
    return AdminVariantOut(
        id=variant.variant_id,
        name=variant.title,
        sku=variant.sku,
        options=dict(variant.options),
        price=_money(variant.price),
        stock_on_hand=variant.stock_on_hand,
        reserved=variant.reserved,
        available=variant.available,
        low_stock_threshold=variant.low_stock_threshold,
        stock_status=variant.stock_status.value,
        weight_grams=variant.weight_grams,
    )


def _image_out(image: ProductImage, url_for: UrlFor) -> AdminImageOut:
    return AdminImageOut(
        id=image.image_id,
        key=image.key,
        alt=image.alt,
        content_type=image.content_type,
        url=url_for(image.key),
        renditions=[RenditionOut(width=w, url=url_for(key)) for w, key in image.renditions],
    )


def product_out(product: Product, url_for: UrlFor) -> AdminProductOut:
    return AdminProductOut(
        slug=product.slug,
        title=product.title,
        description=product.description,
        category=product.category,
        category_path=list(product.category_path or (product.category,)),
        brand=product.brand,
        status=product.status.value,
        price=MoneyOut.of(product.price),
        compare_at_price=_money(product.compare_at_price),
        cost=_money(product.cost),
        seo_title=product.seo_title,
        seo_description=product.seo_description,
        tags=list(product.tags),
        images=[_image_out(i, url_for) for i in product.images],
        variants=[variant_out(v) for v in product.variants],
        deleted=product.deleted,
        created_at=product.created_at,
        version=product.version,
        source=_source_out(product.source),
    )


def _source_out(source: ProductSource | None) -> ProductSourceOut | None:
    if source is None:
        return None
    return ProductSourceOut(
        url=source.url, supplier_sku=source.supplier_sku, import_id=source.import_id, needs_copy=source.needs_copy
    )


def adjustment_out(adjustment: StockAdjustment) -> StockAdjustmentOut:
    return StockAdjustmentOut(
        id=adjustment.adjustment_id,
        product=adjustment.product,
        variant=adjustment.variant,
        delta=adjustment.delta,
        reason=adjustment.reason,
        source="operator" if adjustment.shipment is None else "fulfilment",
        note=adjustment.note,
        on_hand_after=adjustment.on_hand_after,
        by=adjustment.by,
        at=adjustment.at,
        shipment=_shipment_out(adjustment.shipment),
    )


def _shipment_out(s: ShipmentReference | None) -> LedgerShipmentOut | None:
    return (
        None
        if s is None
        else LedgerShipmentOut(order=s.order_id, order_number=s.order_number, fulfilment=s.fulfilment_id)
    )


class CatalogChanged(BaseModel):
    """Detail of the CatalogChanged event (source nozzly.catalog): products an operator changed."""

    store_id: Slug
    products: list[dict[str, str]] = Field(default_factory=list)
