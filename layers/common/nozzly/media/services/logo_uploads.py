"""A store's logo: an upload link through the same presigned S3 POST as product images (the same types and
size limit, checked by S3), and the check a branding change makes of the file it names: the same checks
ImageProcessor makes of a product image (size, magic numbers, every pixel decoded, the pixel limit).

The file is not resized: a logo is shown at 48 px height in emails, and the size limit bounds what a mail
client downloads. (Product images go through ImageProcessor; logos live outside `uploads/`, which it owns.)
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.media.adapters.image_files import ImageFiles
from nozzly.media.domain.image_checks import (
    MAX_UPLOAD_BYTES,
    UPLOAD_URL_SECONDS,
    Rejected,
    extension,
    size_problem,
)
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.branding_settings import logo_key, new_logo
from nozzly.stores.domain.permissions import Action
from nozzly.stores.domain.store_settings import SectionState
from nozzly.stores.services.tenancy import require

NOT_UPLOADED = "no file was uploaded with this logo's link (or it expired); upload it again"
OTHER_TYPE = "the file is a {found}, not the type its upload link was asked for; ask for a link of its type"


@dataclass(frozen=True, slots=True)
class StartedLogoUpload:
    logo: str  # the key the branding section names once the file is there
    url: str
    fields: dict[str, str]
    expires_at: int


@dataclass(frozen=True, slots=True)
class LogoUploads:
    members: MembersRepository
    files: ImageFiles
    clock: Callable[[], float] = field(default=time.time)

    def start(self, store_id: str, caller: str, content_type: str) -> StartedLogoUpload:
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        key = logo_key(store_id, uuid.uuid4().hex, extension(content_type))
        url, fields = self.files.presigned_post(key, content_type, MAX_UPLOAD_BYTES, UPLOAD_URL_SECONDS)
        return StartedLogoUpload(key, url, fields, int(self.clock()) + UPLOAD_URL_SECONDS)

    def verify(self, key: str) -> None:
        """The file is there and is an image ImageProcessor would keep, of the type its name says; else 400
        naming `logo` with the processor's reason."""
        found = self.files.head(key)
        if found is None:
            raise InvalidInput(NOT_UPLOADED, field="logo")
        problem = size_problem(found.size)  # refused before a byte is read
        if problem:
            raise InvalidInput(problem, field="logo")
        data = self.files.read(found, MAX_UPLOAD_BYTES)
        from nozzly.media.domain.image_decoding import decode  # Pillow: only on this path

        try:
            problem = size_problem(len(data))
            if problem:
                raise Rejected(problem)
            decoded = decode(data)
        except Rejected as refused:
            raise InvalidInput(refused.reason, field="logo") from None
        if not key.endswith(f".{extension(decoded.content_type)}"):  # S3 checked the declared type only
            raise InvalidInput(OTHER_TYPE.format(found=decoded.content_type), field="logo")

    def check_change(self, before: SectionState, after: SectionState) -> None:
        """A branding change's logo file, when the change names another one than there was."""
        logo = new_logo(before.data, after.data)
        if logo is not None:
            self.verify(logo)
