"""The pages' static files, served under content-hashed names so browsers and CloudFront keep them forever."""

from __future__ import annotations

import hashlib
import mimetypes
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
PREFIX = "/shop-assets/"
IMMUTABLE = "public, max-age=31536000, immutable"


@cache
def manifest() -> dict[str, str]:
    """Each file's name (relative to static/) to its hashed name: "shop.css" -> "shop.1a2b3c4d5e.css"."""
    names: dict[str, str] = {}
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            relative = path.relative_to(STATIC).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            stem, dot, suffix = relative.rpartition(".")
            names[relative] = f"{stem}.{digest}.{suffix}" if dot else f"{relative}.{digest}"
    return names


@cache
def _by_hashed_name() -> dict[str, str]:
    return {hashed: name for name, hashed in manifest().items()}


def asset_url(name: str) -> str:
    """The URL of static/`name` (KeyError for a file that does not exist: a template bug, found by the tests)."""
    return PREFIX + manifest()[name]


def asset(hashed_name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a hashed name; None for any other name (an old hash is gone for good)."""
    name = _by_hashed_name().get(hashed_name)
    if name is None:
        return None
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
        media_type += "; charset=utf-8"
    return (STATIC / name).read_bytes(), media_type
