"""What happens to a file uploaded under `uploads/`: checked, then kept as a product image or deleted.

Idempotent: S3 may deliver an event twice (or two at once). Only a pending upload is processed, writes
use keys fixed by the upload id, attaching an image already attached changes nothing, and the upload
leaves `pending` with one conditional write.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import NotFound
from nozzly.media.adapters.image_files import ImageFiles, UploadedObject, image_prefix, parse_upload_key
from nozzly.media.adapters.image_uploads import UploadsRepository
from nozzly.media.adapters.product_images import ProductImagesRepository
from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES, PRODUCT_GONE, Rejected, size_problem
from nozzly.media.domain.image_uploads import ProductFull, Upload, UploadStatus, with_image
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
        store_id, product, upload_id = parsed
        upload = self.uploads.get(store_id, upload_id)
        return upload if upload is not None and upload.product == product else None

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
        prefix = image_prefix(upload.store_id, upload.product, upload.upload_id)
        image = ProductImage(
            key=self.files.keep_original(found, prefix, decoded.content_type),
            alt=upload.alt,
            content_type=decoded.content_type,
            image_id=upload.upload_id,
            renditions=tuple((width, self.files.put_rendition(prefix, width, webp)) for width, webp in made),
        )
        try:
            change_images(self.products, upload.store_id, upload.product, lambda images: with_image(images, image))
        except (NotFound, ProductFull) as refused:
            self.files.delete([image.key, *(key for _, key in image.renditions)])
            raise Rejected(PRODUCT_GONE if isinstance(refused, NotFound) else refused.message) from refused
        return image
