"""Which files Nozzly accepts as product images."""

from __future__ import annotations

import hashlib
import mimetypes

IMAGE_CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


def image_content_type(filename: str) -> str | None:
    """The image type a file name declares, or None if it is not an accepted image."""
    content_type = mimetypes.guess_type(filename)[0]
    return content_type if content_type in IMAGE_CONTENT_TYPES else None


def content_tag(data: bytes) -> str:
    """16 hex digits of the file's SHA-256: in a kept file's name, so a URL never names two different files and
    a CDN or browser may cache it for good."""
    return hashlib.sha256(data).hexdigest()[:16]


def addressed_name(stem: str, tag: str, extension: str) -> str:
    """`{stem}-{tag}.{extension}`: a kept file's name, addressed by its content's tag."""
    return f"{stem}-{tag}.{extension}"
