"""A store's colours on its pages: its brand colour, and text that stays readable on it (WCAG contrast)."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_BRAND = "#2d6a4f"
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True, slots=True)
class Theme:
    brand: str
    on_brand: str  # text drawn on the brand colour
    brand_text: str  # the brand colour as text on white: darkened until it reads (4.5:1)


def _darken(hex_colour: str, factor: float) -> str:
    return "#" + "".join(f"{int(int(hex_colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def theme(brand_colour: str | None) -> Theme:
    """The page colours for a store's brand colour (the default green when none, or not #rrggbb)."""
    brand = brand_colour.lower() if brand_colour and _HEX.match(brand_colour) else DEFAULT_BRAND
    on_brand = "#ffffff" if contrast(brand, "#ffffff") >= contrast(brand, "#111111") else "#111111"
    text = brand
    for _ in range(20):
        if contrast(text, "#ffffff") >= 4.5:
            break
        text = _darken(text, 0.85)
    # A brand so light that white text fails on it gets dark text; buttons then stay readable (4.5:1 or more).
    return Theme(brand=brand, on_brand=on_brand, brand_text=text)
