"""Real image bytes for tests, made with Pillow: each format Nozzly accepts, and files it must refuse.

Imported as `tests.image_samples`.
"""

from __future__ import annotations

import io
import random

from PIL import Image


def image_bytes(fmt: str, width: int = 40, height: int = 30, mode: str = "RGB", **save: object) -> bytes:
    colour = {"RGB": (200, 30, 30), "RGBA": (200, 30, 30, 128)}.get(mode, 1)  # RGBA: half transparent
    image = Image.new(mode, (width, height), color=colour)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def png(width: int = 40, height: int = 30, mode: str = "RGB") -> bytes:
    return image_bytes("PNG", width, height, mode)


def jpeg(width: int = 40, height: int = 30) -> bytes:
    return image_bytes("JPEG", width, height)


def webp(width: int = 40, height: int = 30) -> bytes:
    return image_bytes("WEBP", width, height)


def gif(width: int = 40, height: int = 30) -> bytes:
    return image_bytes("GIF", width, height, mode="P")


def truncated_png(width: int = 300, height: int = 200) -> bytes:
    """A PNG cut short: its header promises pixels its data never delivers."""
    whole = noisy_png(width, height)
    return whole[: len(whole) // 2]


def noisy_png(width: int, height: int) -> bytes:
    """A PNG whose pixel data does not compress away (so cutting it removes real pixels)."""
    noise = random.Random(width * height).randbytes(width * height * 3)  # the same bytes every run
    image = Image.frombytes("RGB", (width, height), noise)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def pixel_bomb(width: int = 8000, height: int = 6000) -> bytes:
    """A small file that declares 48 million pixels: a one-colour 1-bit PNG compresses to almost nothing."""
    return image_bytes("PNG", width, height, mode="1")


def sideways_jpeg(width: int = 60, height: int = 20) -> bytes:
    """A JPEG stored wide with an EXIF flag saying to show it rotated (tall), as phones write them."""
    image = Image.new("RGB", (width, height), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


TEXT_NAMED_PNG = b"This is a shopping list, not a picture.\nmilk\neggs\n"
