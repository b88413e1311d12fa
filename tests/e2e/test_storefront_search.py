"""Search, sitemap and robots of the demo store over real HTTP.

The demo catalog is imported by the seed; every product write reaches SearchIndexer through the catalog
table's stream (localcloud/streams.py runs the template's event source mapping), so the index fills shortly
after the import: the search tests wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from tests.e2e.conftest import eventually

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e

STORE = "/stores/mystmereforge"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def search(cloud: LocalCloud, q: str) -> list[str]:
    response = cloud.api(f"{STORE}/search?q={quote(q)}")
    assert response.status == 200, response.body[:300]
    return [item["slug"] for item in response.json()["items"]]


def first_hit(cloud: LocalCloud, q: str) -> str | None:
    found = eventually(lambda: search(cloud, q), bool, timeout=30)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stormcal", "stormcaller-katana"),  # a word's beginning
        ("gaunt", "moonsilver-gauntlets"),
        ("katanna", "stormcaller-katana"),  # one letter too many
        ("whetsone", "twin-grit-whetstone"),  # one letter missing
        ("gambseon", "shadowweave-gambeson"),  # two letters swapped
        ("MF-BLD-EMBER", "ember-longsword"),  # a SKU
    ],
)
def test_search_finds_the_demo_product(local_cloud: LocalCloud, query: str, expected: str) -> None:
    assert first_hit(local_cloud, query) == expected


def test_search_never_finds_the_draft(local_cloud: LocalCloud) -> None:
    draft = next(p for p in local_cloud.demo["products"] if p.get("status") == "draft")
    assert first_hit(local_cloud, "katana") == "stormcaller-katana"  # the index is built
    assert draft["slug"] not in search(local_cloud, draft["title"])


def test_sitemap_lists_published_products_only(local_cloud: LocalCloud) -> None:
    response = local_cloud.api(f"{STORE}/sitemap.xml")

    assert response.status == 200
    assert response.headers["content-type"] == "application/xml"
    locs = [e.text or "" for e in ElementTree.fromstring(response.body).iter(f"{SITEMAP_NS}loc")]
    base = f"{local_cloud.api_url}{STORE}"
    published: list[dict[str, Any]] = local_cloud.published_products()
    assert locs[0] == base
    assert sorted(locs[1:]) == sorted(f"{base}/products/{p['slug']}" for p in published)
    for url in locs[1:3]:
        assert local_cloud.fetch(url).status == 200  # every URL is a product a shopper can open


def test_robots_names_the_sitemap(local_cloud: LocalCloud) -> None:
    response = local_cloud.api(f"{STORE}/robots.txt")

    assert response.status == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {local_cloud.api_url}{STORE}/sitemap.xml" in response.body.decode()
