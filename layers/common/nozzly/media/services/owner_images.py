"""Operators' category banners and brand logos: the product images' upload flow, for an owner with one image.

The same presigned POST (types and size checked by S3), the same upload record and the same ImageProcessor
checks and renditions as product images; only where the accepted image goes differs (one image, replaced).
Every call checks the caller's permission on the store first (services.tenancy): editing a category or a
brand is catalog.write, as in CatalogTaxonomy.
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
from nozzly.media.adapters.owner_images import OwnerImagesRepository
from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES, UPLOAD_URL_SECONDS
from nozzly.media.domain.image_uploads import ImageOwner, Upload
from nozzly.media.services.image_uploads import StartedUpload
from nozzly.observability import logger
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

MAX_ATTEMPTS = 5
Change = Callable[[ProductImage | None], ProductImage | None]


def files_of(image: ProductImage) -> list[str]:
    return [image.key, *(key for _, key in image.renditions)]


def change_owner_image(
    owners: OwnerImagesRepository, store_id: str, kind: ImageOwner, slug: str, change: Change
) -> tuple[ProductImage | None, ProductImage | None]:
    """(before, after) of applying `change` to the current image; retried on a concurrent write.

    An absent or soft-deleted category or brand is NotFound (field "category" or "brand"), whatever the change.
    """
    for attempt in range(MAX_ATTEMPTS):
        current = owners.read(store_id, kind, slug)
        if current is None or current.deleted:
            raise NotFound(f"{kind.value} {slug!r} not found", field=kind.value)
        changed = change(current.image)
        if changed == current.image or owners.write(store_id, kind, slug, changed, current.version):
            return current.image, changed
        logger.info(
            "image owner changed meanwhile; retrying", extra={"kind": kind.value, "owner": slug, "attempt": attempt + 1}
        )
    raise Conflict(f"the {kind.value} is being changed by someone else right now; try again", field=kind.value)


@dataclass(frozen=True, slots=True)
class OwnerImageAdmin:
    members: MembersRepository
    uploads: UploadsRepository
    owners: OwnerImagesRepository
    files: ImageFiles
    clock: Callable[[], float] = field(default=time.time)

    def start_upload(
        self, store_id: str, caller: str, kind: ImageOwner, owner: str, *, content_type: str, alt: str
    ) -> StartedUpload:
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        current = self.owners.read(store_id, kind, owner)
        if current is None or current.deleted:
            raise NotFound(f"{kind.value} {owner!r} not found", field=kind.value)
        now = int(self.clock())
        upload = Upload(
            store_id=store_id,
            upload_id=uuid.uuid4().hex,
            owner=owner,
            content_type=content_type,
            alt=alt,
            created_at=now,
            expires_at=now + UPLOAD_URL_SECONDS,
            kind=kind,
        )
        # The record first: a file can only arrive for an upload the processor can find.
        self.uploads.create(upload)
        key = upload_key(store_id, kind, owner, upload.upload_id)
        url, fields = self.files.presigned_post(key, content_type, MAX_UPLOAD_BYTES, UPLOAD_URL_SECONDS)
        return StartedUpload(upload, url, fields)

    def upload(self, store_id: str, caller: str, kind: ImageOwner, owner: str, upload_id: str) -> Upload:
        require(self.members, store_id, caller, Action.CATALOG_READ)
        found = self.uploads.get(store_id, upload_id)
        if found is None or found.kind is not kind or found.owner != owner:
            raise NotFound(f"upload {upload_id!r} not found", field="upload")
        return found.as_seen_at(int(self.clock()))

    def delete_image(self, store_id: str, caller: str, kind: ImageOwner, owner: str) -> None:
        """Remove the banner or logo: 404 naming `image` when there is none."""
        require(self.members, store_id, caller, Action.CATALOG_WRITE)
        before, _ = change_owner_image(self.owners, store_id, kind, owner, lambda _: None)
        if before is None:
            raise NotFound(f"the {kind.value} has no image", field="image")
        # After the item stopped naming them: a failure here leaves unreferenced files, never a broken image.
        self.files.delete(files_of(before))
