"""Brands of a store's products: a name, a slug that products refer to, an optional logo image."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Brand:
    store_id: str
    slug: str
    name: str
    description: str = ""
    logo_key: str | None = None  # an object in the images bucket, under the store's own prefix
    deleted: bool = False
    version: int = 0
    logo: ProductImage | None = None  # uploaded and processed like a product image (media), with renditions


def store_image_prefix(store_id: str) -> str:
    return f"stores/{store_id}/"


def check_logo_key(store_id: str, key: str | None) -> str | None:
    """A logo is one of the store's own images: another store's object is never referenced."""
    if key is None:
        return None
    if not key.startswith(store_image_prefix(store_id)) or ".." in key.split("/"):
        raise InvalidInput(
            f"the logo must be an image of this store (a key under {store_image_prefix(store_id)!r})", field="logo_key"
        )
    return key
