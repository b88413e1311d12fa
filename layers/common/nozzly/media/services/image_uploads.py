"""Operators' product images: ask for an upload link, follow the upload, delete an image, arrange them.

Every call checks the caller's permission on the store first (services.tenancy).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.media.adapters.image_files import ImageFiles, upload_key
from nozzly.media.adapters.image_uploads import UploadsRepository
from nozzly.media.adapters.product_images import ProductImagesRepository
from nozzly.media.domain.image_checks import MAX_IMAGES_PER_PRODUCT, MAX_UPLOAD_BYTES, UPLOAD_URL_SECONDS
from nozzly.media.domain.image_uploads import Arrangement, ImageOwner, Upload, without_image
from nozzly.media.services.product_images import change_images
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require


@dataclass(frozen=True, slots=True)
class StartedUpload:
    upload: Upload
    url: str
    fields: dict[str, str]  # every one goes into the form, before the file


@dataclass(frozen=True, slots=True)
class ImageAdmin:
    members: MembersRepository
    uploads: UploadsRepository
    products: ProductImagesRepository
    files: ImageFiles
    clock: Callable[[], float] = field(default=time.time)

    def start_upload(self, store_id: str, caller: str, product: str, content_type: str, alt: str) -> StartedUpload:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        current = self.products.read(store_id, product)
        if current is None or current.deleted:
            raise NotFound(f"product {product!r} not found", field="product")
        if len(current.images) >= MAX_IMAGES_PER_PRODUCT:
            # Checked again when the file arrives: this only spares the operator a pointless upload.
            raise Conflict(f"the product already has {MAX_IMAGES_PER_PRODUCT} images", field="images")
        now = int(self.clock())
        upload = Upload(
            store_id=store_id,
            upload_id=uuid.uuid4().hex,
            owner=product,
            content_type=content_type,
            alt=alt,
            created_at=now,
            expires_at=now + UPLOAD_URL_SECONDS,
        )
        # The record first: a file can only arrive for an upload the processor can find.
        self.uploads.create(upload)
        key = upload_key(store_id, ImageOwner.PRODUCT, product, upload.upload_id)
        url, fields = self.files.presigned_post(key, content_type, MAX_UPLOAD_BYTES, UPLOAD_URL_SECONDS)
        return StartedUpload(upload, url, fields)

    def upload(self, store_id: str, caller: str, product: str, upload_id: str) -> Upload:
        require(self.members, store_id, caller, Action.CATALOG_READ)
        found = self.uploads.get(store_id, upload_id)
        if found is None or found.kind is not ImageOwner.PRODUCT or found.owner != product:
            raise NotFound(f"upload {upload_id!r} not found", field="upload")
        return found.as_seen_at(int(self.clock()))

    def delete_image(self, store_id: str, caller: str, product: str, image_id: str) -> None:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        removed: list[ProductImage] = []

        def remove(images: tuple[ProductImage, ...]) -> tuple[ProductImage, ...]:
            remaining, image = without_image(images, image_id)
            removed[:] = [image]
            return remaining

        change_images(self.products, store_id, product, remove)
        # After the product stopped naming them: a failure here leaves unreferenced files, never a broken image.
        image = removed[0]
        self.files.delete([image.key, *(key for _, key in image.renditions)])

    def arrange(self, store_id: str, caller: str, product: str, arrangement: Arrangement) -> tuple[ProductImage, ...]:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        return change_images(self.products, store_id, product, arrangement.apply)
