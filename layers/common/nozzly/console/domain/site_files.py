"""The console's files as objects: keys, content types, caching and the one per-stack substitution.

The console is static: a browser loads `console/index.html` and ES modules next to it. The CDN maps a
request path to the object key of the same name (`/console/app.js` -> `console/app.js`), so the index is
stored under the directory's own keys too: a request for `/console/` or `/console` finds it without an
edge function.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

PREFIX = "console"
INDEX = "index.html"
# The Content-Security-Policy names the hosts images and uploads come from, and the WebSocket API's URL; both
# differ per stack, so the index carries marks the publisher fills in.
MEDIA_SOURCES_MARK = b"__MEDIA_SOURCES__"
LIVE_URL_MARK = b"__LIVE_URL__"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
}

# What the CDN adds to every console response (the template's ConsoleHeaders response headers policy).
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("strict-transport-security", "max-age=63072000; includeSubDomains"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
)


@dataclass(frozen=True, slots=True)
class StackUrls:
    """What the index is told about its stack: the images' hosts (space-separated) and the live updates' URL."""

    media_sources: str
    live_url: str = ""


@dataclass(frozen=True, slots=True)
class SiteObject:
    key: str
    body: bytes
    content_type: str
    cache_control: str


def content_type(name: str) -> str:
    return _TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def objects_for(relative: str, body: bytes, urls: StackUrls) -> list[SiteObject]:
    """The objects one site file becomes. Names are not content-hashed (no build step), so browsers
    revalidate every file; the ETag keeps that to a 304."""
    if relative == INDEX:
        body = body.replace(MEDIA_SOURCES_MARK, urls.media_sources.encode())
        body = body.replace(LIVE_URL_MARK, urls.live_url.encode())
        keys = [f"{PREFIX}/{INDEX}", f"{PREFIX}/", PREFIX]
    else:
        keys = [f"{PREFIX}/{relative}"]
    kind = content_type(relative)
    return [SiteObject(key, body, kind, "no-cache") for key in keys]


def relative_of(path: str) -> str | None:
    """The site file a request path asks for ("/console/" -> "index.html"); None outside the console or
    for a path that tries to leave it."""
    if path in (f"/{PREFIX}", f"/{PREFIX}/"):
        return INDEX
    if not path.startswith(f"/{PREFIX}/"):
        return None
    relative = path[len(PREFIX) + 2 :]
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    return relative
