"""Which files Nozzly accepts as product images."""

from __future__ import annotations

import mimetypes

IMAGE_CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


def image_content_type(filename: str) -> str | None:
    """The image type a file name declares, or None if it is not an accepted image."""
    content_type = mimetypes.guess_type(filename)[0]
    return content_type if content_type in IMAGE_CONTENT_TYPES else None
