"""What the catalog import workflow accepts: a store, its categories and its products."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from nozzly.kernel.contracts.money import CurrencyCode, MoneyIn
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.media.domain.images import image_content_type

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]


class StoreImport(BaseModel):
    id: Slug
    name: str = Field(min_length=1, max_length=120)
    currency: CurrencyCode
    country: str = Field(pattern=r"^[A-Z]{2}$")
    niche: str = Field(default="", max_length=80)
    description: str = Field(default="", max_length=2000)
    owner_email: str | None = Field(
        default=None, max_length=254, description="An operator account to own the store (created before the import)."
    )


class CategoryImport(BaseModel):
    slug: Slug
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    position: int = Field(default=0, ge=0, le=10_000)
    parent: Slug | None = None


class ImageImport(BaseModel):
    source_key: str = Field(pattern=r"^imports/", description="Object key in the images bucket's staging area.")
    alt: str = Field(default="", max_length=200)

    @field_validator("source_key")
    @classmethod
    def _an_image(cls, value: str) -> str:
        if image_content_type(value) is None:
            raise ValueError("must name a .png, .jpg, .webp or .gif file")
        return value


class VariantImport(BaseModel):
    id: Slug = "default"
    sku: str = Field(min_length=1, max_length=64)
    title: str = Field(default="Default", max_length=120)
    stock_on_hand: int = Field(ge=0, le=1_000_000)
    low_stock_threshold: int = Field(default=3, ge=0, le=1_000_000)
    price: MoneyIn | None = None
    weight_grams: int = Field(default=0, ge=0, le=1_000_000, description="Shipped weight of one unit.")


class ProductImport(BaseModel):
    slug: Slug
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    category: Slug
    price: MoneyIn
    compare_at_price: MoneyIn | None = None
    status: str = Field(default="published", pattern=r"^(draft|published|archived)$")
    tags: list[str] = Field(default_factory=list, max_length=30)
    images: list[ImageImport] = Field(default_factory=list, max_length=12)
    variants: list[VariantImport] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _one_currency(self) -> ProductImport:
        prices = [self.compare_at_price] + [v.price for v in self.variants]
        if any(p is not None and p.currency != self.price.currency for p in prices):
            raise ValueError("all prices of a product must use the product's currency")
        return self


class StoreStep(BaseModel):
    step: str = Field(pattern="^store$")
    store: StoreImport
    # The profile, the catalog root and the categories are written in one transaction (100 items).
    categories: list[CategoryImport] = Field(max_length=98)

    @model_validator(mode="after")
    def _unique_categories(self) -> StoreStep:
        slugs = [c.slug for c in self.categories]
        if len(set(slugs)) != len(slugs):
            raise ValueError("category slugs must be unique")
        return self


class ProductStep(BaseModel):
    """One product, with what the store step of the same import established about the store."""

    step: str = Field(pattern="^product$")
    store_id: Slug
    currency: CurrencyCode
    categories: list[Slug]
    product: ProductImport

    @model_validator(mode="after")
    def _fits_the_store(self) -> ProductStep:
        if self.product.category not in self.categories:
            raise ValueError(f"category {self.product.category!r} is not a category of the store")
        if self.product.price.currency != self.currency:
            raise ValueError(f"prices must be in the store's currency {self.currency}")
        return self


class CatalogImported(BaseModel):
    """Detail of the CatalogImported event on the bus."""

    store_id: Slug
    products: list[dict[str, str]] = Field(default_factory=list)


class StoreImported(BaseModel):
    """What the product steps of the same import are told about the store (the Map's ItemSelector)."""

    model_config = ConfigDict(extra="forbid")

    store_id: str
    currency: str
    categories: list[str]


class ProductImported(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
