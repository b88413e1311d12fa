"""Placeholder product images for the demo store, drawn with the standard library only.

Why a hand-written PNG encoder: the stack has no image library yet (no Pillow in the layer or the dev
tools), and a demo image only needs a few solid spans, so zlib + struct are enough. Each image is a
diagonal gradient in a hue derived from the name's hash with a ringed disc in the centre; the same name
always gives the same bytes.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _ramp(hue: float, saturation: float, dark: float, light: float, steps: int) -> bytes:
    """`steps` RGB triples from dark to light, packed: a row is then one slice of it."""
    out = bytearray()
    for i in range(steps):
        value = dark + (light - dark) * i / max(steps - 1, 1)
        out += bytes(round(c * 255) for c in colorsys.hsv_to_rgb(hue, saturation, value))
    return bytes(out)


def _span(radius: float, dy: float, centre: float, size: int) -> tuple[int, int]:
    """The columns [x0, x1) of a row `dy` pixels from the centre that lie inside a circle."""
    if abs(dy) >= radius:
        return 0, 0
    half = math.sqrt(radius * radius - dy * dy)
    return max(0, round(centre - half)), min(size, round(centre + half))


def png_for(name: str, size: int = 256) -> bytes:
    """A size x size RGB PNG for `name`, deterministic."""
    digest = hashlib.sha256(name.encode()).digest()
    hue = digest[0] / 255
    accent = (hue + 0.35 + digest[1] / 255 * 0.3) % 1.0
    steps = 2 * size - 1  # x + y runs over 0 .. 2 * size - 2
    background = _ramp(hue, 0.65, 0.22, 0.78, steps)
    ring = _ramp(accent, 0.35, 0.95, 0.55, steps)
    disc = _ramp(accent, 0.55, 0.45, 0.98, steps)
    centre = (size - 1) / 2
    outer, inner = size * 0.30, size * 0.25
    raw = bytearray()
    for y in range(size):
        row = bytearray(background[3 * y : 3 * (y + size)])
        for ramp, radius in ((ring, outer), (disc, inner)):
            x0, x1 = _span(radius, y - centre, centre, size)
            if x1 > x0:
                row[3 * x0 : 3 * x1] = ramp[3 * (y + x0) : 3 * (y + x1)]
        raw += b"\x00" + row  # filter type 0 (None) per scanline
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + _chunk(b"IEND", b"")
    )
