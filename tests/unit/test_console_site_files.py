"""What the console's files become as objects, and how a release replaces the last one (no cloud)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nozzly.console.domain.site_files import SiteObject, StackUrls, objects_for, relative_of
from nozzly.console.services.site_publishing import publish, withdraw

pytestmark = pytest.mark.unit

INDEX = (
    b'<meta http-equiv="Content-Security-Policy" content="img-src \'self\' __MEDIA_SOURCES__;'
    b' connect-src \'self\' __LIVE_URL__"><meta name="nozzly-live" content="__LIVE_URL__">'
)
URLS = StackUrls("https://img.example", "wss://live.example/live")


@pytest.mark.parametrize(
    ("path", "relative"),
    [
        ("/console", "index.html"),
        ("/console/", "index.html"),
        ("/console/app.js", "app.js"),
        ("/console/pages/orders/list.js", "pages/orders/list.js"),
        ("/console/../template.yaml", None),
        ("/console/lib//api.js", None),
        ("/console/.env", None),
        ("/consoles/app.js", None),
        ("/admin/stores", None),
    ],
)
def test_a_request_path_names_one_site_file_or_none(path: str, relative: str | None) -> None:
    assert relative_of(path) == relative


def test_the_index_is_found_at_the_folder_address_and_names_the_stacks_media_hosts_and_live_url() -> None:
    objects = objects_for("index.html", INDEX, URLS)
    assert [o.key for o in objects] == ["console/index.html", "console/", "console"]
    assert all(b"img-src 'self' https://img.example;" in o.body for o in objects)
    assert all(b"connect-src 'self' wss://live.example/live" in o.body for o in objects)
    assert all(b'<meta name="nozzly-live" content="wss://live.example/live">' in o.body for o in objects)
    assert {o.content_type for o in objects} == {"text/html; charset=utf-8"}


def test_modules_are_served_as_javascript_and_revalidated() -> None:
    [module] = objects_for("lib/api.js", b"export {}", StackUrls(""))
    assert (module.key, module.content_type, module.cache_control) == (
        "console/lib/api.js",
        "text/javascript; charset=utf-8",
        "no-cache",
    )


class MemoryBucket:
    def __init__(self, keys: set[str] | None = None) -> None:
        self.objects: dict[str, SiteObject] = {k: SiteObject(k, b"old", "text/plain", "no-cache") for k in keys or ()}

    def put(self, item: SiteObject) -> None:
        self.objects[item.key] = item

    def keys(self) -> set[str]:
        return set(self.objects)

    def delete(self, keys: set[str]) -> None:
        for key in keys:
            del self.objects[key]


def test_a_release_puts_every_file_and_removes_what_it_no_longer_has(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "index.html").write_bytes(INDEX)
    (tmp_path / "lib" / "api.js").write_text("export const api = 1;")
    (tmp_path / ".DS_Store").write_text("not published")
    bucket = MemoryBucket({"console/lib/removed.js", "console/lib/api.js"})

    count = publish(bucket, tmp_path, URLS)

    assert count == 4
    assert bucket.keys() == {"console", "console/", "console/index.html", "console/lib/api.js"}
    assert bucket.objects["console/lib/api.js"].body == b"export const api = 1;"


def test_withdrawing_empties_the_console_so_the_bucket_can_go() -> None:
    bucket = MemoryBucket({"console/index.html", "console"})
    withdraw(bucket)
    assert bucket.keys() == set()
