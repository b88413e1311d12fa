"""Public storefront responses."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

from nozzly.contracts.money import MoneyOut
from nozzly.domain.catalog import Category, Product, ProductImage, StockStatus, Store


class StoreOut(BaseModel):
    id: str
    name: str
    description: str
    niche: str
    currency: str
    country: str


class CategoryOut(BaseModel):
    slug: str
    name: str
    description: str
    position: int
    parent: str | None
    product_count: int = Field(description="Published products in the category (kept by CatalogStats).")


class CategoryList(BaseModel):
    items: list[CategoryOut]


class ImageOut(BaseModel):
    url: str = Field(description="Time-limited URL of the image.")
    alt: str
    content_type: str


class StockOut(BaseModel):
    available: int = Field(description="On hand minus reserved by open checkouts.")
    status: StockStatus


class VariantOut(BaseModel):
    id: str
    sku: str
    title: str
    price: MoneyOut
    stock: StockOut


class ProductSummaryOut(BaseModel):
    slug: str
    title: str
    category: str
    price: MoneyOut
    compare_at_price: MoneyOut | None
    image: ImageOut | None
    stock: StockOut


class ProductOut(ProductSummaryOut):
    description: str
    tags: list[str]
    images: list[ImageOut]
    variants: list[VariantOut]


class ProductPage(BaseModel):
    items: list[ProductSummaryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= to get the next page; null on the last page.")


UrlFor = Callable[[str], str]


def _image(image: ProductImage, url_for: UrlFor) -> ImageOut:
    return ImageOut(url=url_for(image.key), alt=image.alt, content_type=image.content_type)


def _stock(available: int, status: StockStatus) -> StockOut:
    return StockOut(available=available, status=status)


def store_out(store: Store) -> StoreOut:
    return StoreOut(
        id=store.store_id,
        name=store.name,
        description=store.description,
        niche=store.niche,
        currency=store.currency,
        country=store.country,
    )


def category_out(category: Category) -> CategoryOut:
    return CategoryOut(
        slug=category.slug,
        name=category.name,
        description=category.description,
        position=category.position,
        parent=category.parent,
        product_count=category.product_count,
    )


def product_summary_out(product: Product, url_for: UrlFor) -> ProductSummaryOut:
    return ProductSummaryOut(
        slug=product.slug,
        title=product.title,
        category=product.category,
        price=MoneyOut.of(product.price),
        compare_at_price=MoneyOut.of(product.compare_at_price) if product.compare_at_price else None,
        image=_image(product.images[0], url_for) if product.images else None,
        stock=_stock(product.available, product.stock_status),
    )


def product_out(product: Product, url_for: UrlFor) -> ProductOut:
    return ProductOut(
        **product_summary_out(product, url_for).model_dump(),
        description=product.description,
        tags=list(product.tags),
        images=[_image(i, url_for) for i in product.images],
        variants=[
            VariantOut(
                id=v.variant_id,
                sku=v.sku,
                title=v.title,
                price=MoneyOut.of(product.price_of(v)),
                stock=_stock(v.available, v.stock_status),
            )
            for v in product.variants
        ],
    )
