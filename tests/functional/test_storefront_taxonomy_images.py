"""The storefront shows category banners and lists the store's brands with their logos (StorefrontCatalog)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests import image_samples as samples
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.owner_image_helpers import BANNER, CATEGORY, LOGO, call, store_with_brand, taxonomy, upload

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def storefront(cloud: Cloud, route: str, store: str) -> HttpResponse:
    return cloud.http("StorefrontCatalog", api_event(f"GET {route}", path_parameters={"store": store}))


def by_slug(response: HttpResponse) -> dict[str, dict[str, Any]]:
    assert response.status == 200, response.body
    return {item["slug"]: item for item in response.body["items"]}


def test_a_category_with_a_banner_shows_it_with_renditions_and_the_others_show_none(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    image_id, outcome = upload(cloud, BANNER, store, samples.png(1000, 300), category=CATEGORY)
    assert outcome == "accepted"

    categories = by_slug(storefront(cloud, "/stores/{store}/categories", store))

    banner = categories[CATEGORY]["image"]
    assert banner["alt"] == "Shown" and banner["content_type"] == "image/png"
    assert re.search(f"/categories/{CATEGORY}/image/{image_id}/original-[0-9a-f]{{16}}[.]png$", banner["url"])
    assert [r["width"] for r in banner["renditions"]] == [256, 768]
    assert {slug: c["image"] for slug, c in categories.items() if slug != CATEGORY} == {
        "furniture": None,
        "kitchen": None,
        "garden": None,
    }

    call(cloud, "DELETE", BANNER, store, category=CATEGORY)
    assert by_slug(storefront(cloud, "/stores/{store}/categories", store))[CATEGORY]["image"] is None


def test_the_brands_are_the_live_ones_by_name_with_their_logos(cloud: Cloud) -> None:
    store, lumen = store_with_brand(cloud, "Lumen Works")
    brands = "/admin/stores/{store}/brands"
    taxonomy(cloud, "POST " + brands, store, body={"name": "acme", "description": "Anvils since 1949"})
    gone = taxonomy(cloud, "POST " + brands, store, body={"name": "Gone"}).body["slug"]
    taxonomy(cloud, "DELETE " + brands + "/{brand}", store, brand=gone)
    logo, outcome = upload(cloud, LOGO, store, samples.webp(300, 300), brand=lumen)
    assert outcome == "accepted"

    listed = storefront(cloud, "/stores/{store}/brands", store)

    assert listed.status == 200 and listed.headers["cache-control"] == "public, max-age=60"
    assert [(b["slug"], b["name"], b["description"]) for b in listed.body["items"]] == [
        ("acme", "acme", "Anvils since 1949"),
        (lumen, "Lumen Works", None),
    ]
    acme, shown = listed.body["items"]
    assert acme["logo"] is None
    assert re.search(f"/brands/{lumen}/logo/{logo}/original-[0-9a-f]{{16}}[.]webp$", shown["logo"]["url"])
    assert [r["width"] for r in shown["logo"]["renditions"]] == [256]


def test_a_brand_whose_logo_was_named_by_key_shows_that_file(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    key = f"stores/{store}/old-logo.png"
    cloud.client("s3").put_object(Bucket=cloud.bucket, Key=key, Body=samples.png())
    made = taxonomy(cloud, "POST /admin/stores/{store}/brands", store, body={"name": "Old", "logo_key": key})
    assert made.status == 201, made.body

    old = by_slug(storefront(cloud, "/stores/{store}/brands", store))["old"]["logo"]

    assert key in old["url"] and (old["alt"], old["content_type"], old["renditions"]) == ("Old", "image/png", [])


def test_brands_of_an_unknown_store_are_404(cloud: Cloud) -> None:
    response = storefront(cloud, "/stores/{store}/brands", "no-such-store")
    assert (response.status, response.body["error"]["fields"][0]["field"]) == (404, "store")
