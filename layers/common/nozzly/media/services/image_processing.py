"""What happens to a file uploaded under `uploads/`: checked, then kept (a product's image, a category's banner,
a brand's logo: the upload's kind) or deleted.

Idempotent: S3 may deliver an event twice (or two at once). Only a pending upload is processed, writes
use keys fixed by the upload id, attaching an image already attached changes nothing, and the upload
leaves `pending` with one conditional write. A banner or logo replaces the one before it, whose files are
deleted once the item no longer names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import NotFound
from nozzly.media.adapters.image_files import ImageFiles, UploadedObject, image_prefix, parse_upload_key
from nozzly.media.adapters.image_uploads import UploadsRepository
from nozzly.media.adapters.owner_images import OwnerImagesRepository
from nozzly.media.adapters.product_images import ProductImagesRepository
from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES, OWNER_GONE, PRODUCT_GONE, Rejected, size_problem
from nozzly.media.domain.image_uploads import (
    ImageOwner,
    ProductFull,
    Upload,
    UploadStatus,
    replaced_image,
    with_image,
)
from nozzly.media.services.owner_images import change_owner_image, files_of
from nozzly.media.services.product_images import change_images
from nozzly.observability import logger


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ALREADY_DONE = "already_done"  # a repeated delivery
    IGNORED = "ignored"  # not an upload Nozzly handed out, or its file is gone


@dataclass(frozen=True, slots=True)
class ImageProcessor:
    uploads: UploadsRepository
    products: ProductImagesRepository
    files: ImageFiles
    owners: OwnerImagesRepository

    def process(self, key: str) -> Outcome:
        upload = self._upload_of(key)
        found = self.files.head(key)
        if upload is None or upload.status is not UploadStatus.PENDING or found is None:
            return self._skip(key, upload, found)
        try:
            image = self._keep(upload, found)
        except Rejected as refused:
            self.uploads.reject(upload.store_id, upload.upload_id, refused.reason)
            self.files.discard_upload(found)
            logger.info("upload rejected", extra={"key": key, "reason": refused.reason})
            return Outcome.REJECTED
        self.uploads.accept(upload.store_id, upload.upload_id, image)
        self.files.discard_upload(found)
        logger.info("image accepted", extra={"key": key, "renditions": [w for w, _ in image.renditions]})
        return Outcome.ACCEPTED

    def _upload_of(self, key: str) -> Upload | None:
        parsed = parse_upload_key(key)
        if parsed is None:
            return None
        store_id, kind, owner, upload_id = parsed
        upload = self.uploads.get(store_id, upload_id)
        # The key must name what the record was made for: a file cannot be steered onto another owner.
        return upload if upload is not None and upload.kind is kind and upload.owner == owner else None

    def _skip(self, key: str, upload: Upload | None, found: UploadedObject | None) -> Outcome:
        if upload is None:
            # Nobody asked for this file: nothing could ever attach it.
            logger.warning("file under uploads/ without an upload record; deleting it", extra={"key": key})
        elif upload.status is UploadStatus.PENDING:
            logger.warning("upload's file is gone before processing", extra={"key": key})
            return Outcome.IGNORED
        if found:  # also a repeated delivery after the first stopped before deleting the file
            self.files.discard_upload(found)
        return Outcome.IGNORED if upload is None else Outcome.ALREADY_DONE

    def _keep(self, upload: Upload, found: UploadedObject) -> ProductImage:
        """Check the file, write the original and renditions, attach the image; raises Rejected."""
        problem = size_problem(found.size)  # refused before a byte is read
        if problem:
            raise Rejected(problem)
        data = self.files.read(found, MAX_UPLOAD_BYTES)
        problem = size_problem(len(data))
        if problem:
            raise Rejected(problem)
        from nozzly.media.domain.image_decoding import decode, renditions  # Pillow: only on this path

        decoded = decode(data)
        made = renditions(decoded)
        prefix = image_prefix(upload.store_id, upload.kind, upload.owner, upload.upload_id)
        image = ProductImage(
            key=self.files.keep_original(found, prefix, decoded.content_type, data),
            alt=upload.alt,
            content_type=decoded.content_type,
            image_id=upload.upload_id,
            renditions=tuple((width, self.files.put_rendition(prefix, width, webp)) for width, webp in made),
        )
        try:
            self._attach(upload, image)
        except (NotFound, ProductFull) as refused:
            self.files.delete(files_of(image))
            if isinstance(refused, ProductFull):
                raise Rejected(refused.message) from refused
            gone = PRODUCT_GONE if upload.kind is ImageOwner.PRODUCT else OWNER_GONE.format(owner=upload.kind.value)
            raise Rejected(gone) from refused
        return image

    def _attach(self, upload: Upload, image: ProductImage) -> None:
        if upload.kind is ImageOwner.PRODUCT:
            change_images(self.products, upload.store_id, upload.owner, lambda images: with_image(images, image))
            return
        before, _ = change_owner_image(self.owners, upload.store_id, upload.kind, upload.owner, lambda _: image)
        replaced = replaced_image(before, image)
        if replaced is not None:
            self.files.delete(files_of(replaced))
