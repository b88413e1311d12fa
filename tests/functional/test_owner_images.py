"""Category banners and brand logos: ImageUploads' links and status, ImageProcessor's checks, deleting them."""

from __future__ import annotations

import hashlib
import re

import pytest

from nozzly.media.domain.image_checks import NOT_AN_IMAGE, OWNER_GONE
from tests import image_samples as samples
from tests.functional.harness import Cloud
from tests.functional.image_helpers import all_versions, process, put_upload
from tests.functional.owner_image_helpers import (
    BANNER,
    CATEGORY,
    LOGO,
    call,
    start,
    status,
    store_with_brand,
    stored_image,
    taxonomy,
    upload,
)
from tests.functional.store_helpers import BOB

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def test_a_category_banner_is_uploaded_checked_and_kept_with_renditions(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    started = start(cloud, BANNER, store, "image/jpeg", category=CATEGORY)

    assert started["fields"]["key"] == f"uploads/{store}/category/{CATEGORY}/{started['id']}"
    assert started["status_url"] == f"/admin/stores/{store}/categories/{CATEGORY}/image/uploads/{started['id']}"
    pending = status(cloud, BANNER, store, started["id"], category=CATEGORY)
    assert (pending.status, pending.body["kind"], pending.body["owner"], pending.body["status"]) == (
        200,
        "category",
        CATEGORY,
        "pending",
    )

    key = put_upload(cloud, started, samples.jpeg(1000, 400))
    assert process(cloud, key, len(samples.jpeg(1000, 400)))[key] == "accepted"

    done = status(cloud, BANNER, store, started["id"], category=CATEGORY)
    assert done.body["status"] == "accepted" and done.body["image"]["alt"] == "Shown"
    assert sorted(done.body["image"]["renditions"], key=int) == ["256", "768"]
    prefix = f"stores/{store}/categories/{CATEGORY}/image/{started['id']}/"
    tag = hashlib.sha256(samples.jpeg(1000, 400)).hexdigest()[:16]
    kept = [k.removeprefix(prefix) for k in sorted(cloud.object_keys(prefix))]
    assert [re.sub("-[0-9a-f]{16}[.]", "-#.", k) for k in kept] == ["256-#.webp", "768-#.webp", "original-#.jpg"]
    image = stored_image(cloud, store, f"CATEGORY#{CATEGORY}", "image")
    assert image is not None and image["key"]["S"] == prefix + f"original-{tag}.jpg"
    assert all_versions(cloud, "uploads/") == []


def test_a_new_banner_replaces_the_old_one_and_its_files(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    first, _ = upload(cloud, BANNER, store, samples.png(300, 100), category=CATEGORY)
    second, outcome = upload(cloud, BANNER, store, samples.png(300, 100), category=CATEGORY)

    assert outcome == "accepted"
    assert cloud.object_keys(f"stores/{store}/categories/{CATEGORY}/image/{first}/") == []
    assert cloud.object_keys(f"stores/{store}/categories/{CATEGORY}/image/{second}/")
    image = stored_image(cloud, store, f"CATEGORY#{CATEGORY}", "image")
    assert image is not None and image["id"]["S"] == second


def test_a_file_that_is_no_image_is_rejected_and_the_category_keeps_its_banner(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    kept, _ = upload(cloud, BANNER, store, samples.png(), category=CATEGORY)

    refused, outcome = upload(cloud, BANNER, store, b"plain text, not an image", category=CATEGORY)

    assert outcome == "rejected"
    answer = status(cloud, BANNER, store, refused, category=CATEGORY).body
    assert (answer["status"], answer["reason"], answer["image"]) == ("rejected", NOT_AN_IMAGE, None)
    image = stored_image(cloud, store, f"CATEGORY#{CATEGORY}", "image")
    assert image is not None and image["id"]["S"] == kept


def test_a_brand_logo_survives_an_edit_of_the_brand_and_is_deleted_with_its_files(cloud: Cloud) -> None:
    store, brand = store_with_brand(cloud)
    logo, outcome = upload(cloud, LOGO, store, samples.webp(400, 400), brand=brand)
    assert outcome == "accepted"
    answer = status(cloud, LOGO, store, logo, brand=brand).body
    assert (answer["kind"], answer["owner"], answer["status"]) == ("brand", brand, "accepted")

    renamed = taxonomy(cloud, "PATCH /admin/stores/{store}/brands/{brand}", store, body={"name": "Lumen"}, brand=brand)

    assert renamed.status == 200, renamed.body
    assert stored_image(cloud, store, f"BRAND#{brand}", "logo") is not None
    deleted = call(cloud, "DELETE", LOGO, store, brand=brand)
    assert deleted.status == 204
    assert stored_image(cloud, store, f"BRAND#{brand}", "logo") is None
    assert cloud.object_keys(f"stores/{store}/brands/{brand}/logo/") == []
    again = call(cloud, "DELETE", LOGO, store, brand=brand)
    assert (again.status, again.body["error"]["fields"][0]["field"]) == (404, "image")


def test_deleting_a_banner_leaves_the_category_without_one(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    upload(cloud, BANNER, store, samples.png(), category=CATEGORY)

    assert call(cloud, "DELETE", BANNER, store, category=CATEGORY).status == 204
    assert stored_image(cloud, store, f"CATEGORY#{CATEGORY}", "image") is None
    assert cloud.object_keys(f"stores/{store}/categories/{CATEGORY}/") == []


def test_no_link_for_an_unknown_or_deleted_category_or_brand(cloud: Cloud) -> None:
    store, brand = store_with_brand(cloud)
    taxonomy(cloud, "DELETE /admin/stores/{store}/brands/{brand}", store, brand=brand)
    body = {"content_type": "image/png"}

    answers = [
        call(cloud, "POST", BANNER + "/uploads", store, body=body, category="no-such-category"),
        call(cloud, "POST", LOGO + "/uploads", store, body=body, brand=brand),
        call(cloud, "POST", BANNER + "/uploads", store, body={"content_type": "text/plain"}, category=CATEGORY),
    ]

    assert [(a.status, a.body["error"]["fields"][0]["field"]) for a in answers] == [
        (404, "category"),
        (404, "brand"),
        (400, "content_type"),
    ]
    assert [i for i in cloud.all_items("CatalogTable") if i["sk"]["S"].startswith("UPLOAD#")] == []


def test_an_image_for_a_category_deleted_meanwhile_is_rejected_and_leaves_no_files(cloud: Cloud) -> None:
    store, _ = store_with_brand(cloud)
    started = start(cloud, BANNER, store, category="garden")
    gone = taxonomy(cloud, "DELETE /admin/stores/{store}/categories/{category}", store, category="garden")
    assert gone.status == 204, gone.body

    key = put_upload(cloud, started, samples.png())
    assert process(cloud, key, len(samples.png()))[key] == "rejected"

    reason = status(cloud, BANNER, store, started["id"], category="garden").body["reason"]
    assert reason == OWNER_GONE.format(owner="category")
    assert cloud.object_keys(f"stores/{store}/categories/garden/") == []


def test_an_upload_is_only_found_under_the_category_or_brand_it_was_asked_for(cloud: Cloud) -> None:
    store, brand = store_with_brand(cloud)
    started = start(cloud, BANNER, store, category=CATEGORY)

    assert status(cloud, BANNER, store, started["id"], category="kitchen").status == 404
    assert status(cloud, LOGO, store, started["id"], brand=brand).status == 404
    # A file put under a product's or a brand's upload path with this id is not this upload's file.
    for key in (f"uploads/{store}/{CATEGORY}/{started['id']}", f"uploads/{store}/brand/{brand}/{started['id']}"):
        cloud.client("s3").put_object(Bucket=cloud.bucket, Key=key, Body=samples.png())
        assert process(cloud, key, len(samples.png()))[key] == "ignored"
    assert status(cloud, BANNER, store, started["id"], category=CATEGORY).body["status"] == "pending"


def test_another_stores_operator_cannot_learn_the_store_exists(cloud: Cloud) -> None:
    store, brand = store_with_brand(cloud)
    started = start(cloud, BANNER, store, category=CATEGORY)
    png = {"content_type": "image/png"}
    attempts = [
        ("POST", BANNER + "/uploads", {"category": CATEGORY}, png),
        ("GET", BANNER + "/uploads/{upload}", {"category": CATEGORY, "upload": started["id"]}, None),
        ("DELETE", BANNER, {"category": CATEGORY}, None),
        ("POST", LOGO + "/uploads", {"brand": brand}, png),
        ("GET", LOGO + "/uploads/{upload}", {"brand": brand, "upload": started["id"]}, None),
        ("DELETE", LOGO, {"brand": brand}, None),
    ]
    for method, route, params, body in attempts:
        response = call(cloud, method, route, store, sub=BOB, body=body, **params)
        assert (response.status, response.body["error"]["fields"][0]["field"]) == (404, "store"), (method, route)


def test_the_operators_category_and_brand_answers_show_the_banner_and_the_logo(cloud: Cloud) -> None:
    store, brand = store_with_brand(cloud)
    banner, _ = upload(cloud, BANNER, store, samples.png(300, 100), category=CATEGORY)
    logo, _ = upload(cloud, LOGO, store, samples.png(300, 300), brand=brand)

    categories = taxonomy(cloud, "GET /admin/stores/{store}/categories", store).body["items"]
    shown = taxonomy(cloud, "GET /admin/stores/{store}/brands/{brand}", store, brand=brand).body["logo"]

    assert {c["slug"]: bool(c["image"]) for c in categories} == {
        "furniture": False,
        "kitchen": False,
        "decor": True,
        "garden": False,
    }
    decor = next(c for c in categories if c["slug"] == CATEGORY)["image"]
    assert re.search(f"/image/{banner}/original-[0-9a-f]{{16}}[.]png$", decor["url"]) and [
        r["width"] for r in decor["renditions"]
    ] == [256]
    assert re.search(f"/logo/{logo}/original-[0-9a-f]{{16}}[.]png$", shown["url"]) and shown["alt"] == "Shown"
