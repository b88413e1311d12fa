"""A supplier's product document (JSON at the source URL), as the import reads it: untrusted, validated here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from nozzly.kernel.contracts.money import MoneyIn

MAX_IMAGES = 8


class SupplierProduct(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64, description="The supplier's SKU (kept as provenance).")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    features: list[str] = Field(default_factory=list, max_length=20)
    images: list[str] = Field(default_factory=list, max_length=MAX_IMAGES, description="Image URLs, in order.")
    cost: MoneyIn = Field(description="What the store pays the supplier per unit.")
    shipping: MoneyIn | None = Field(default=None, description="What the store pays to ship one unit, if anything.")
    stock: int = Field(default=0, ge=0, le=1_000_000)
    weight_grams: int = Field(default=0, ge=0, le=1_000_000)
