"""The product import workflow's payloads: what each task of ProductImportStateMachine accepts and answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from nozzly.imports.contracts.supplier_product import SupplierProduct
from nozzly.kernel.contracts.money import MoneyIn


class ImportExecutionInput(BaseModel):
    """What ImportWorkflow starts an execution with (imports/adapters/import_workflow.py)."""

    store_id: str
    import_id: str
    source_url: str
    category: str
    language: str
    correlation_id: str = Field(min_length=1, description="The id the logs of the work that started this share.")


class RunRef(BaseModel):
    store_id: str
    import_id: str


class FetchStep(RunRef):
    step: str = Field(pattern="^fetch$")
    source_url: str
    category: str


class Fetched(BaseModel):
    product: SupplierProduct
    slug: str = Field(description="The draft's slug, chosen now so images can be stored under it.")


class CopyStep(RunRef):
    step: str = Field(pattern="^copy$")
    product: SupplierProduct
    language: str


class CopyOut(BaseModel):
    seo_title: str
    description_html: str
    meta_description: str
    keywords: list[str]
    image_alts: list[str]
    needs_copy: bool
    ai_tokens: int


class ImagesStep(RunRef):
    step: str = Field(pattern="^images$")
    slug: str
    product: SupplierProduct
    alts: list[str]


class ImageOut(BaseModel):
    image_id: str
    key: str
    alt: str
    content_type: str
    renditions: dict[str, str] = Field(description="width -> WebP key")


class ImagesOut(BaseModel):
    images: list[ImageOut]


class PriceStep(RunRef):
    step: str = Field(pattern="^price$")
    product: SupplierProduct


class PriceOut(BaseModel):
    price: MoneyIn
    compare_at_price: MoneyIn | None
    margin_bp: int
    guarded: bool


class CreateStep(RunRef):
    step: str = Field(pattern="^create$")
    source_url: str
    category: str
    slug: str
    product: SupplierProduct
    copy_: CopyOut = Field(alias="copy")
    images: ImagesOut
    price: PriceOut


class Created(BaseModel):
    product_slug: str


class FailStep(RunRef):
    step: str = Field(pattern="^fail$")
    error: dict[str, Any] = Field(default_factory=dict, description="The caught error: Error and Cause.")


class Failed(BaseModel):
    status: str
