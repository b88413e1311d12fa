"""Public storefront responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from nozzly.catalog.domain.brands import Brand
from nozzly.catalog.domain.catalog import Category, Product, ProductImage, StockStatus, Store
from nozzly.kernel.contracts.money import MoneyOut

if TYPE_CHECKING:
    from nozzly.search.domain.search import Card


class StoreOut(BaseModel):
    id: str
    name: str
    description: str
    niche: str
    currency: str
    country: str


class RenditionOut(BaseModel):
    width: int = Field(description="Width in pixels of this resized WebP copy.")
    url: str


class ImageOut(BaseModel):
    url: str = Field(description="The image's URL on the images CDN: the same on every request, cacheable for a year.")
    alt: str
    content_type: str
    renditions: list[RenditionOut] = Field(default_factory=list, description="Resized copies, narrowest first.")


class CategoryOut(BaseModel):
    slug: str
    name: str
    description: str
    position: int
    parent: str | None
    product_count: int = Field(description="Published products in the category (kept by CatalogStats).")
    image: ImageOut | None = Field(description="The category's banner with its renditions; null when it has none.")


class CategoryList(BaseModel):
    items: list[CategoryOut]


class StoreBrandOut(BaseModel):
    slug: str = Field(description="What ?brand= of the product listing takes.")
    name: str
    description: str | None = Field(description="null when the brand has none.")
    logo: ImageOut | None = Field(description="The brand's logo with its renditions; null when it has none.")


class StoreBrandList(BaseModel):
    items: list[StoreBrandOut] = Field(description="The store's brands (not deleted ones), by name.")


class StockOut(BaseModel):
    available: int = Field(description="On hand minus reserved by open checkouts.")
    status: StockStatus


class VariantOut(BaseModel):
    id: str
    sku: str
    title: str
    options: dict[str, str] = Field(description='The variant\'s choices, e.g. {"size": "M"}.')
    price: MoneyOut
    stock: StockOut


class ProductSummaryOut(BaseModel):
    slug: str
    title: str
    category: str
    brand: str | None
    price: MoneyOut
    compare_at_price: MoneyOut | None
    image: ImageOut | None
    stock: StockOut


class ProductOut(ProductSummaryOut):
    description: str
    category_path: list[str] = Field(description="The category's ancestors from the top, ending with it.")
    tags: list[str]
    images: list[ImageOut]
    variants: list[VariantOut]
    related_url: str = Field(description="Products of the same category, those sharing its tags first.")
    json_ld: dict[str, Any] = Field(description="schema.org Product data for a script type=application/ld+json.")


class RelatedProducts(BaseModel):
    items: list[ProductSummaryOut]


class SearchHitOut(BaseModel):
    slug: str
    title: str
    category: str
    price: MoneyOut
    image: ImageOut | None
    stock_status: StockStatus
    matched: int = Field(description="How many of the query's words the product matched.")


class SearchResults(BaseModel):
    query: str
    tokens: list[str] = Field(description="The words searched for, as the index spells them.")
    items: list[SearchHitOut] = Field(description="Best first; only the top `limit`, no further pages.")


class ProductPage(BaseModel):
    items: list[ProductSummaryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= to get the next page; null on the last page.")


UrlFor = Callable[[str], str]


def _image(image: ProductImage, url_for: UrlFor, *, renditions: bool = False) -> ImageOut:
    return ImageOut(
        url=url_for(image.key),
        alt=image.alt,
        content_type=image.content_type,
        renditions=[RenditionOut(width=w, url=url_for(key)) for w, key in image.renditions] if renditions else [],
    )


def shown_image(image: ProductImage, url_for: UrlFor) -> ImageOut:
    """An image with every rendition (a banner, a logo, a product's gallery)."""
    return _image(image, url_for, renditions=True)


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


def category_out(category: Category, url_for: UrlFor) -> CategoryOut:
    return CategoryOut(
        slug=category.slug,
        name=category.name,
        description=category.description,
        position=category.position,
        parent=category.parent,
        product_count=category.product_count,
        image=_image(category.image, url_for, renditions=True) if category.image else None,
    )


def brand_out(brand: Brand, url_for: UrlFor) -> StoreBrandOut:
    return StoreBrandOut(
        slug=brand.slug,
        name=brand.name,
        description=brand.description or None,
        logo=_brand_logo(brand, url_for),
    )


def _brand_logo(brand: Brand, url_for: UrlFor) -> ImageOut | None:
    if brand.logo is not None:
        return _image(brand.logo, url_for, renditions=True)
    if brand.logo_key:  # named by key before logos were uploaded: the file as it is, no renditions
        from nozzly.media.domain.images import image_content_type

        content_type = image_content_type(brand.logo_key) or "application/octet-stream"
        return ImageOut(url=url_for(brand.logo_key), alt=brand.name, content_type=content_type)
    return None


def product_summary_out(product: Product, url_for: UrlFor) -> ProductSummaryOut:
    return ProductSummaryOut(
        slug=product.slug,
        title=product.title,
        category=product.category,
        brand=product.brand,
        price=MoneyOut.of(product.price),
        compare_at_price=MoneyOut.of(product.compare_at_price) if product.compare_at_price else None,
        image=_image(product.images[0], url_for) if product.images else None,
        stock=_stock(product.available, product.stock_status),
    )


def product_out(product: Product, url_for: UrlFor, *, url: str, related_url: str) -> ProductOut:
    from nozzly.catalog.domain.seo import product_json_ld  # only detail pages pay for it

    images = [_image(i, url_for, renditions=True) for i in product.images]
    return ProductOut(
        **product_summary_out(product, url_for).model_dump(),
        description=product.description,
        category_path=list(product.category_path or (product.category,)),
        tags=list(product.tags),
        images=images,
        variants=[
            VariantOut(
                id=v.variant_id,
                sku=v.sku,
                title=v.title,
                options=dict(v.options),
                price=MoneyOut.of(product.price_of(v)),
                stock=_stock(v.available, v.stock_status),
            )
            for v in product.variants
        ],
        related_url=related_url,
        json_ld=product_json_ld(product, url, [i.url for i in images]),
    )


def search_hit_out(slug: str, card: Card, matched: int, url_for: UrlFor) -> SearchHitOut:
    from nozzly.media.domain.images import image_content_type

    image = None
    if card.image_key:
        content_type = image_content_type(card.image_key) or "application/octet-stream"
        image = ImageOut(url=url_for(card.image_key), alt=card.title, content_type=content_type)
    return SearchHitOut(
        slug=slug,
        title=card.title,
        category=card.category,
        price=MoneyOut.of(card.price),
        image=image,
        stock_status=card.stock_status,
        matched=matched,
    )
