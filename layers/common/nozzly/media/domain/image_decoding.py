"""Decoding an uploaded file with Pillow and resizing it into WebP renditions.

No AWS here, but Pillow: only the image processor imports this module (HTTP functions never pay for it).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from nozzly.media.domain.image_checks import (
    BROKEN,
    MAX_IMAGE_PIXELS,
    NOT_AN_IMAGE,
    SNIFF_BYTES,
    TOO_MANY_PIXELS,
    Rejected,
    pixels_problem,
    rendition_sizes,
    sniff,
)

# Pillow refuses (DecompressionBombError) only past twice its limit and merely warns past it; the
# explicit dimension check below refuses at the limit, and warnings are errors while decoding.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
_PILLOW_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
WEBP_QUALITY = 82


@dataclass(frozen=True, slots=True)
class Decoded:
    content_type: str  # proven by the magic numbers and by the decoder agreeing
    width: int  # after applying the EXIF orientation
    height: int
    image: Image.Image


def decode(data: bytes) -> Decoded:
    """Decode every pixel (a truncated file fails here, not later); raises Rejected."""
    content_type = sniff(data[:SNIFF_BYTES])
    if content_type is None:
        raise Rejected(NOT_AN_IMAGE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[f for f, t in _PILLOW_FORMATS.items() if t == content_type])
            # Only the header is read so far: refuse a bomb before its pixels are allocated.
            problem = pixels_problem(*image.size)
            if problem:
                raise Rejected(problem)
            image.load()
            oriented = ImageOps.exif_transpose(image)  # phone photos are stored sideways with an EXIF flag
        except Rejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected(TOO_MANY_PIXELS) from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:  # what Pillow raises for bad data
            raise Rejected(BROKEN) from exc
    return Decoded(content_type, oriented.width, oriented.height, oriented)


def renditions(decoded: Decoded) -> list[tuple[int, bytes]]:
    """(width, WebP bytes) for each rendition size, narrowest first. Metadata (EXIF, GPS) is not copied."""
    source = decoded.image
    has_alpha = source.mode in ("RGBA", "LA", "PA") or (source.mode == "P" and "transparency" in source.info)
    mode = "RGBA" if has_alpha else "RGB"
    source = source if source.mode == mode else source.convert(mode)
    made = []
    # Widest first, each from the one before: a 12 MP photo is reduced once, not three times.
    for width, height in reversed(rendition_sizes(decoded.width, decoded.height)):
        if (width, height) != source.size:
            source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        source.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
        made.append((width, buffer.getvalue()))
    made.reverse()
    return made
