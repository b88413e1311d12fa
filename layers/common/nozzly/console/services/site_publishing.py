"""Publishing the console: every site file becomes its objects, and objects no file makes any more go."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from nozzly.console.domain.site_files import SiteObject, StackUrls, objects_for


class Bucket(Protocol):
    def put(self, item: SiteObject) -> None: ...
    def keys(self) -> set[str]: ...
    def delete(self, keys: set[str]) -> None: ...


def site_objects(site: Path, urls: StackUrls) -> list[SiteObject]:
    found: list[SiteObject] = []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = file.relative_to(site).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        found.extend(objects_for(relative, file.read_bytes(), urls))
    return found


def publish(bucket: Bucket, site: Path, urls: StackUrls) -> int:
    """Put every object, then delete the stale ones (a module a new release no longer has); returns the count."""
    wanted = site_objects(site, urls)
    for item in wanted:
        bucket.put(item)
    stale = bucket.keys() - {item.key for item in wanted}
    if stale:
        bucket.delete(stale)
    return len(wanted)


def withdraw(bucket: Bucket) -> None:
    """Empty the console's part of the bucket, so the stack can delete the bucket."""
    keys = bucket.keys()
    if keys:
        bucket.delete(keys)
