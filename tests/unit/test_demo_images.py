"""The demo store's placeholder PNGs: well-formed, the requested size, deterministic."""

from __future__ import annotations

import struct
import zlib

import pytest

from localcloud.demo_images import PNG_SIGNATURE, png_for

pytestmark = pytest.mark.unit


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG, each CRC checked."""
    assert png.startswith(PNG_SIGNATURE)
    found, offset = [], len(PNG_SIGNATURE)
    while offset < len(png):
        (length,) = struct.unpack_from(">I", png, offset)
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack_from(">I", png, offset + 8 + length)
        assert crc == zlib.crc32(kind + data), kind
        found.append((kind, data))
        offset += 12 + length
    assert offset == len(png)
    return found


def test_starts_with_the_png_signature() -> None:
    assert png_for("ember-longsword").startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("size", [256, 64, 17])
def test_header_holds_the_requested_size(size: int) -> None:
    kind, data = chunks(png_for("runic-seax", size))[0]
    assert kind == b"IHDR"
    width, height, depth, colour_type, *_ = struct.unpack(">IIBBBBB", data)
    assert (width, height, depth, colour_type) == (size, size, 8, 2)


def test_ends_with_an_empty_iend_chunk() -> None:
    png = png_for("serpent-ring")
    assert chunks(png)[-1] == (b"IEND", b"")
    assert png.endswith(b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


def test_is_deterministic_and_differs_by_name() -> None:
    assert png_for("ember-longsword") == png_for("ember-longsword")
    assert png_for("ember-longsword") != png_for("frostbite-dagger")


@pytest.mark.parametrize("size", [256, 31])
def test_pixel_data_is_one_filter_byte_and_three_bytes_per_pixel_per_row(size: int) -> None:
    idat = b"".join(data for kind, data in chunks(png_for("gryphon-buckler", size)) if kind == b"IDAT")
    raw = zlib.decompress(idat)
    stride = 1 + 3 * size
    assert len(raw) == size * stride
    assert all(raw[row * stride] == 0 for row in range(size))  # filter type None on every scanline


def test_draws_a_gradient_and_a_centred_shape() -> None:
    size = 64
    idat = b"".join(data for kind, data in chunks(png_for("oakheart-round-shield", size)) if kind == b"IDAT")
    raw = zlib.decompress(idat)
    stride = 1 + 3 * size

    def pixel(x: int, y: int) -> bytes:
        return raw[y * stride + 1 + 3 * x : y * stride + 4 + 3 * x]

    assert pixel(0, 0) != pixel(size - 1, size - 1)  # gradient corner to corner
    # (0, 63) and (32, 31) lie on one diagonal, so share the background colour: unless covered by the shape
    assert pixel(0, size - 1) != pixel(size // 2, size // 2 - 1)
    assert pixel(0, size - 1) == pixel(size - 1, 0)
