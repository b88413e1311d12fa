"""What an uploaded product image must be: its size, its real type (magic numbers), its pixels, its renditions.

Pure: the processor reads the bytes and Pillow decodes them; these rules decide.
"""

from __future__ import annotations

from typing import Final

from nozzly.media.domain.images import IMAGE_CONTENT_TYPES

MIB: Final = 1024 * 1024
MAX_UPLOAD_BYTES: Final = 10 * MIB
# A 10 MiB file can still declare billions of pixels (a decompression bomb); 40 MP is a large camera photo.
MAX_IMAGE_PIXELS: Final = 40_000_000
MAX_IMAGES_PER_PRODUCT: Final = 20
RENDITION_WIDTHS: Final = (256, 768, 1600)
UPLOAD_URL_SECONDS: Final = 15 * 60
UPLOAD_CONTENT_TYPES: Final = IMAGE_CONTENT_TYPES
EXTENSIONS: Final = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}

# What the operator reads when an upload is refused: the fix should be obvious from the sentence.
TOO_LARGE: Final = f"The file is larger than {MAX_UPLOAD_BYTES // MIB} MiB."
EMPTY: Final = "The file is empty."
NOT_AN_IMAGE: Final = "The file is not a PNG, JPEG, WebP or GIF image."
BROKEN: Final = "The image is damaged or incomplete and could not be read."
TOO_MANY_PIXELS: Final = f"The image has more than {MAX_IMAGE_PIXELS // 1_000_000} million pixels."
PRODUCT_GONE: Final = "The product was deleted or does not exist, so the image was not added."
OWNER_GONE: Final = "The {owner} was deleted or does not exist, so the image was not kept."
PRODUCT_FULL: Final = f"The product already has {MAX_IMAGES_PER_PRODUCT} images; delete one and upload again."
EXPIRED: Final = "No file was processed before the upload link expired; upload it again."

# (content type, offset, signature): the first bytes that identify each accepted format.
_SIGNATURES: Final = (
    ("image/png", 0, b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", 0, b"\xff\xd8\xff"),
    ("image/gif", 0, b"GIF87a"),
    ("image/gif", 0, b"GIF89a"),
    ("image/webp", 8, b"WEBP"),  # after "RIFF" and the 4-byte chunk size
)
SNIFF_BYTES: Final = 12


class Rejected(Exception):
    """The file is not an image Nozzly keeps; `reason` is for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff(head: bytes) -> str | None:
    """The image type the file's first bytes prove, whatever its name or declared type said; None if none."""
    for content_type, offset, signature in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature and (
            content_type != "image/webp" or head[:4] == b"RIFF"
        ):
            return content_type
    return None


def size_problem(size: int) -> str | None:
    """Why a file of this many bytes is refused before it is read, or None."""
    if size <= 0:
        return EMPTY
    if size > MAX_UPLOAD_BYTES:
        return TOO_LARGE
    return None


def pixels_problem(width: int, height: int) -> str | None:
    """Checked on the dimensions a header declares, before any pixel is decoded."""
    if width <= 0 or height <= 0:
        return BROKEN
    if width * height > MAX_IMAGE_PIXELS:
        return TOO_MANY_PIXELS
    return None


def rendition_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """(width, height) of each WebP rendition, narrowest first, keeping the aspect ratio.

    Never upscaled: a target wider than the original is left out, and an original narrower than every
    target gets one rendition at its own width, so each rendition's width is its real width (srcset-safe).
    """
    widths = [w for w in RENDITION_WIDTHS if w <= width] or [width]
    return [(w, max(1, round(height * w / width))) for w in widths]


def extension(content_type: str) -> str:
    return EXTENSIONS[content_type]
