"""Operators' category and brand bodies and answers (products and stock: catalog/contracts/catalog_admin.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from nozzly.catalog.contracts.admin_fields import CLOSED, Name, Slug, Version, no_nulls, set_fields
from nozzly.catalog.contracts.storefront import ImageOut, UrlFor, shown_image
from nozzly.catalog.domain.brands import Brand
from nozzly.catalog.domain.catalog import Category


# ---------------------------------------------------------------- categories
class CategoryIn(BaseModel):
    model_config = CLOSED

    name: Name = Field(description="The category's slug is made from it and never changes.")
    description: str = Field(default="", max_length=2000)
    parent: Slug | None = Field(default=None, description="null: a top-level category.")
    position: int = Field(default=0, ge=0, le=10_000)


class CategoryPatch(BaseModel):
    model_config = CLOSED

    name: Name | None = None
    description: str | None = Field(default=None, max_length=2000)
    parent: Slug | None = Field(default=None, description="Moves the category (and its products' paths).")
    position: int | None = Field(default=None, ge=0, le=10_000)
    version: Version | None = None

    @model_validator(mode="after")
    def _clearable(self) -> CategoryPatch:
        no_nulls(self, frozenset({"parent"}))
        return self

    def changes(self) -> dict[str, Any]:
        return set_fields(self)


class AdminCategoryOut(BaseModel):
    slug: str
    name: str
    description: str
    parent: str | None
    position: int
    product_count: int = Field(description="Published products (kept by CatalogStats, shortly after changes).")
    deleted: bool
    version: int
    image: ImageOut | None = Field(description="The banner (upload one through .../image/uploads); null when none.")


class AdminCategoryList(BaseModel):
    items: list[AdminCategoryOut]


def category_out(category: Category, url_for: UrlFor) -> AdminCategoryOut:
    return AdminCategoryOut(
        slug=category.slug,
        name=category.name,
        description=category.description,
        parent=category.parent,
        position=category.position,
        product_count=category.product_count,
        deleted=category.deleted,
        version=category.version,
        image=shown_image(category.image, url_for) if category.image else None,
    )


# ---------------------------------------------------------------- brands
class BrandIn(BaseModel):
    model_config = CLOSED

    name: Name = Field(description="The brand's slug is made from it and never changes.")
    description: str = Field(default="", max_length=2000)
    logo_key: str | None = Field(
        default=None, max_length=500, description="An existing image of the store in the images bucket."
    )


class BrandPatch(BaseModel):
    model_config = CLOSED

    name: Name | None = None
    description: str | None = Field(default=None, max_length=2000)
    logo_key: str | None = Field(default=None, max_length=500)
    version: Version | None = None

    @model_validator(mode="after")
    def _clearable(self) -> BrandPatch:
        no_nulls(self, frozenset({"logo_key"}))
        return self

    def changes(self) -> dict[str, Any]:
        return set_fields(self)


class BrandOut(BaseModel):
    slug: str
    name: str
    description: str
    logo_key: str | None
    deleted: bool
    version: int
    logo: ImageOut | None = Field(description="The logo uploaded through .../logo/uploads; null when none.")


class BrandList(BaseModel):
    items: list[BrandOut]


def brand_out(brand: Brand, url_for: UrlFor) -> BrandOut:
    return BrandOut(
        slug=brand.slug,
        name=brand.name,
        description=brand.description,
        logo_key=brand.logo_key,
        deleted=brand.deleted,
        version=brand.version,
        logo=shown_image(brand.logo, url_for) if brand.logo else None,
    )
