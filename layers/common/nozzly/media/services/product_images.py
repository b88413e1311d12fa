"""Changing a product's image list: read it with its version, change it, write it if nobody else did meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.media.adapters.product_images import ProductImagesRepository
from nozzly.observability import logger

MAX_ATTEMPTS = 5
Change = Callable[[tuple[ProductImage, ...]], tuple[ProductImage, ...]]


def change_images(
    products: ProductImagesRepository, store_id: str, slug: str, change: Change
) -> tuple[ProductImage, ...]:
    """Apply `change` (which may raise a domain error) to the current list; retried on a concurrent write.

    A product that is absent or soft deleted is NotFound (field "product"), whatever the change.
    """
    for attempt in range(MAX_ATTEMPTS):
        current = products.read(store_id, slug)
        if current is None or current.deleted:
            raise NotFound(f"product {slug!r} not found", field="product")
        changed = change(current.images)
        if changed == current.images:
            return changed  # nothing to write: e.g. a repeated delivery of an image already attached
        if products.write(store_id, slug, changed, current.version):
            return changed
        logger.info("product changed meanwhile; retrying", extra={"product": slug, "attempt": attempt + 1})
    raise Conflict("the product is being changed by someone else right now; try again", field="product")
