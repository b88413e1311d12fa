"""The blog and the SEO overview under moto: operators' posts (who may, versions, bad input), the weekly AI draft
against the local Bedrock peer (a draft, shown only once published, with Article JSON-LD, in the sitemap) and the
SEO report flagging a product whose SEO title was removed until it is fixed."""

from __future__ import annotations

import importlib
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from localcloud import bedrock_peer
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.page_helpers import Browser
from tests.functional.store_helpers import ALICE, BOB, claims, open_store, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
POSTS = "/admin/stores/{store}/blog/posts"
LAMP = {
    "title": "Brass Desk Lamp",
    "category": "decor",
    "status": "published",
    "tags": ["lighting"],
    "seo_title": "Brass Desk Lamp | Lantern & Loom",
    "price": {"amount": 4900, "currency": "EUR"},
    "variants": [{"name": "One", "sku": "LAMP-1", "options": {}, "stock_on_hand": 4}],
}


@pytest.fixture(scope="module")
def peer_url() -> Iterator[str]:
    server = bedrock_peer.serve(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def store(cloud: Cloud) -> str:
    opened = open_store(cloud, ALICE)
    provision(cloud, opened)
    return opened


def call(
    cloud: Cloud, function: str, route: str, sub: str | None, path: dict[str, str], *, body: Any = None
) -> HttpResponse:
    event = api_event(route, path_parameters=path, body=body, claims=claims(sub) if sub else None)
    return cloud.http(function, event)


def posts(
    cloud: Cloud, method: str, store: str, *, sub: str | None = ALICE, slug: str = "", body: Any = None
) -> HttpResponse:
    route = f"{method} {POSTS}" + ("/{post}" if slug else "")
    return call(cloud, "BlogAdmin", route, sub, {"store": store} | ({"post": slug} if slug else {}), body=body)


def public(cloud: Cloud, store: str, slug: str = "") -> HttpResponse:
    route = "GET /stores/{store}/blog/posts" + ("/{post}" if slug else "")
    return call(cloud, "Blog", route, None, {"store": store} | ({"post": slug} if slug else {}))


def content_items(cloud: Cloud) -> list[dict[str, Any]]:
    return cloud.all_items("ContentTable")


def test_operators_write_posts_with_versions_and_shoppers_read_only_published_ones(cloud: Cloud, store: str) -> None:
    body = {
        "title": "Caring for brass",
        "slug": "brass-care",
        "body_markdown": "## Polish\n\nGently. <script>x</script>",
    }
    created = posts(cloud, "POST", store, body=body)
    assert created.status == 201, created.body
    assert created.body["status"] == "draft" and created.body["version"] == 1
    assert "<h2>Polish</h2>" in created.body["body_html"] and "<script>" not in created.body["body_html"]
    assert public(cloud, store, "brass-care").status == 404
    assert public(cloud, store).body["items"] == []

    assert posts(cloud, "POST", store, body=body).status == 409  # the slug is the store's already
    before = content_items(cloud)
    for bad in ({"title": "x", "slug": "Bad Slug"}, {"title": "x", "slug": "ok", "colour": "red"}, [1]):
        refused = posts(cloud, "POST", store, body=bad)
        assert refused.status == 400, refused.body
    assert posts(cloud, "PATCH", store, slug="brass-care", body={"title": None}).status == 400
    assert content_items(cloud) == before  # refused bodies change nothing
    assert posts(cloud, "GET", store, sub=BOB, slug="brass-care").status == 404  # not BOB's store

    published = posts(cloud, "PATCH", store, slug="brass-care", body={"status": "published", "version": 1})
    assert published.status == 200 and published.body["version"] == 2, published.body
    stale = posts(cloud, "PATCH", store, slug="brass-care", body={"title": "Other", "version": 1})
    assert stale.status == 409 and stale.body["error"]["fields"][0]["field"] == "version"
    listed = public(cloud, store)
    assert [p["slug"] for p in listed.body["items"]] == ["brass-care"]
    assert public(cloud, store, "brass-care").body["body_html"].startswith("<h2>Polish</h2>")

    moved = posts(cloud, "PATCH", store, slug="brass-care", body={"slug": "brass-guide", "version": 2})
    assert moved.status == 200 and public(cloud, store, "brass-care").status == 404
    assert posts(cloud, "DELETE", store, slug="brass-guide").status == 204
    assert public(cloud, store).body["items"] == [] and posts(cloud, "GET", store, slug="brass-guide").status == 404


def _product(cloud: Cloud, store: str, body: dict[str, Any]) -> dict[str, Any]:
    created = call(cloud, "CatalogAdmin", "POST /admin/stores/{store}/products", ALICE, {"store": store}, body=body)
    assert created.status == 201, created.body
    found: dict[str, Any] = created.body
    return found


def test_the_weekly_draft_is_an_ai_draft_shown_only_once_published_with_article_json_ld_and_in_the_sitemap(
    cloud: Cloud, store: str, peer_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _product(cloud, store, LAMP)
    # The harness's context has 10 s left; the drafter keeps 130 s for a store's two Converse calls.
    monkeypatch.setattr(importlib.import_module("functions.blog_drafter.app"), "SAFETY_MS", 0)
    cloud.environments["BlogDrafter"]["BEDROCK_ENDPOINT_URL"] = peer_url
    first = cloud.invoke("BlogDrafter", {"source": "aws.events", "detail-type": "Scheduled Event"})
    again = cloud.invoke("BlogDrafter", {"source": "aws.events", "detail-type": "Scheduled Event"})
    assert first["drafted"] == 1, first
    assert again == first | {"drafted": 0, "already": 1}
    listed = posts(cloud, "GET", store).body["items"]
    assert len(listed) == 1
    draft = listed[0]
    assert draft["status"] == "draft" and draft["author"] == "ai" and draft["keyword"]
    assert "Brass Desk Lamp" in draft["body_markdown"]  # the peer wrote about the store's own product
    assert public(cloud, store, draft["slug"]).status == 404
    shop = Browser(cloud)
    assert shop.get(f"/shop/{store}/blog/{draft['slug']}").status == 404
    assert f"/blog/{draft['slug']}" not in shop.get(f"/shop/{store}/sitemap.xml").html

    posts(cloud, "PATCH", store, slug=draft["slug"], body={"status": "published"})
    page = shop.get(f"/shop/{store}/blog/{draft['slug']}")
    assert page.status == 200
    blobs = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.html)]
    article = next(b for b in blobs if b["@type"] == "Article")
    assert article["headline"] == draft["title"] and article["url"].endswith(f"/blog/{draft['slug']}")
    assert f"/blog/{draft['slug']}</loc>" in shop.get(f"/shop/{store}/sitemap.xml").html
    assert draft["title"] in shop.get(f"/shop/{store}/blog").html


def test_the_seo_overview_flags_a_product_whose_seo_title_was_removed_until_it_is_fixed(
    cloud: Cloud, store: str
) -> None:
    lamp = _product(cloud, store, LAMP)
    seo = "GET /admin/stores/{store}/seo"

    def flagged() -> list[str]:
        cloud.invoke("SeoReports", {"source": "aws.events", "detail-type": "Scheduled Event"})
        report = call(cloud, "SeoOverview", seo, ALICE, {"store": store})
        assert report.status == 200, report.body
        page = next(p for p in report.body["pages"] if p["slug"] == lamp["slug"])
        return [i["code"] for i in page["issues"]]

    assert "missing_seo_title" not in flagged()
    path = {"store": store, "product": lamp["slug"]}
    removed = call(
        cloud, "CatalogAdmin", "PATCH /admin/stores/{store}/products/{product}", ALICE, path, body={"seo_title": ""}
    )
    assert removed.status == 200, removed.body
    assert "missing_seo_title" in flagged()
    fixed = {"seo_title": "Brass Desk Lamp for reading"}
    assert (
        call(cloud, "CatalogAdmin", "PATCH /admin/stores/{store}/products/{product}", ALICE, path, body=fixed).status
        == 200
    )
    assert "missing_seo_title" not in flagged()
    assert call(cloud, "SeoOverview", seo, BOB, {"store": store}).status == 404
