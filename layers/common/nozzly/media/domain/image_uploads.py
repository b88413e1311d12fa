"""An operator's upload of one image of a product, a category (its banner) or a brand (its logo): pending until
the processor accepts or rejects the file.

Pure. The upload record's status is what makes processing idempotent: only a pending upload is processed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.media.domain.image_checks import EXPIRED, MAX_IMAGES_PER_PRODUCT, PRODUCT_FULL

# How long after its link expired a pending upload may still be in processing (S3 delivers within seconds,
# retries within minutes) before it is reported as never having arrived.
PROCESSING_GRACE_SECONDS: Final = 15 * 60
MAX_ALT_LENGTH: Final = 250


class ImageOwner(StrEnum):
    """What an uploaded image belongs to: a product has a list of images, a category and a brand one each."""

    PRODUCT = "product"
    CATEGORY = "category"
    BRAND = "brand"


class UploadStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Upload:
    store_id: str
    upload_id: str
    owner: str  # the slug of the product, category or brand (kind says which)
    content_type: str  # as declared when the link was asked for; the processor trusts the bytes instead
    alt: str
    created_at: int  # epoch seconds
    expires_at: int  # when the upload link stops working
    status: UploadStatus = UploadStatus.PENDING
    reason: str | None = None  # why it was rejected, for a person to read
    image: ProductImage | None = None  # the image it became, once accepted
    kind: ImageOwner = ImageOwner.PRODUCT

    def as_seen_at(self, now: int) -> Upload:
        """The status to report: a pending upload long past its link's expiry will never arrive."""
        if self.status is UploadStatus.PENDING and now > self.expires_at + PROCESSING_GRACE_SECONDS:
            return replace(self, status=UploadStatus.REJECTED, reason=EXPIRED)
        return self


def image_ref(image: ProductImage) -> str:
    """The id operators use for an image. Images adopted by the catalog import before ids existed get one
    derived from their key: stable, so it can be deleted or reordered like any other."""
    return image.image_id or "i" + hashlib.sha256(image.key.encode()).hexdigest()[:16]


class ProductFull(Conflict):
    def __init__(self) -> None:
        super().__init__(PRODUCT_FULL, field="images")


def with_image(images: Sequence[ProductImage], image: ProductImage) -> tuple[ProductImage, ...]:
    """The product's images with `image` appended; unchanged if it is there already (a repeated delivery)."""
    if any(image_ref(i) == image_ref(image) for i in images):
        return tuple(images)
    if len(images) >= MAX_IMAGES_PER_PRODUCT:
        raise ProductFull()
    return (*images, image)


def replaced_image(current: ProductImage | None, new: ProductImage) -> ProductImage | None:
    """The image that `new` replaces as a category's banner or a brand's logo (its files are deleted after);
    None when there was none, or when it is `new` itself (a repeated delivery must not delete its own files)."""
    if current is None or image_ref(current) == image_ref(new):
        return None
    return current


def without_image(images: Sequence[ProductImage], image_id: str) -> tuple[tuple[ProductImage, ...], ProductImage]:
    """The product's images without one, and the one removed (its files are deleted after)."""
    found = [i for i in images if image_ref(i) == image_id]
    if not found:
        raise NotFound(f"image {image_id!r} not found", field="image")
    return tuple(i for i in images if image_ref(i) != image_id), found[0]


@dataclass(frozen=True, slots=True)
class Arrangement:
    """An operator's new order of a product's images, with alt texts to change (None keeps the alt)."""

    order: tuple[str, ...]  # image ids, first shown first
    alts: dict[str, str | None]

    def apply(self, images: Sequence[ProductImage]) -> tuple[ProductImage, ...]:
        by_id = {image_ref(i): i for i in images}
        if len(set(self.order)) != len(self.order):
            raise InvalidInput("an image is listed twice", field="images")
        unknown = [i for i in self.order if i not in by_id]
        if unknown:
            raise InvalidInput(f"no such image: {unknown[0]!r}", field="images")
        if set(self.order) != set(by_id):
            # Someone added or removed an image since the operator looked: their order would drop or miss one.
            raise Conflict("the product's images changed; reload them and arrange again", field="images")
        arranged = []
        for image_id in self.order:
            alt = self.alts.get(image_id)
            arranged.append(by_id[image_id] if alt is None else replace(by_id[image_id], alt=alt))
        return tuple(arranged)
