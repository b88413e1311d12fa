"""The operators' product answers carry each image's URL and renditions, drafts' images too (CatalogAdmin)."""

from __future__ import annotations

import re

import pytest

from tests import image_samples as samples
from tests.functional.harness import Cloud
from tests.functional.image_helpers import PRODUCT, upload_file
from tests.functional.store_helpers import ALICE, open_store, provision
from tests.functional.test_catalog_admin import LAMP, call, create

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def test_a_draft_products_images_come_with_urls_in_the_product_and_in_the_list(cloud: Cloud) -> None:
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    made = create(cloud, store, LAMP | {"title": "Lantern Shade", "status": "draft"})
    assert (made["slug"], made["images"]) == (PRODUCT, [])
    upload, outcome = upload_file(cloud, store, samples.png(800, 800))
    assert outcome == "accepted"

    shown = call(cloud, "GET /products/{product}", ALICE, store, product=PRODUCT).body
    listed = call(cloud, "GET /products", ALICE, store, status="draft").body["items"]

    (image,) = shown["images"]
    assert image["id"] == upload and image["url"].startswith("http")
    assert re.search(f"/products/{PRODUCT}/images/{upload}/original-[0-9a-f]{{16}}[.]png$", image["url"])
    assert [r["width"] for r in image["renditions"]] == [256, 768]
    assert all(f"/images/{upload}/" in r["url"] and r["url"] != image["url"] for r in image["renditions"])
    assert [p["images"][0]["id"] for p in listed if p["slug"] == PRODUCT] == [upload]
