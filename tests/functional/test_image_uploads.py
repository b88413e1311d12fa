"""ImageUploads: presigned upload links, upload status, deleting and arranging a product's images."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES
from tests import image_samples as samples
from tests.functional.harness import Cloud
from tests.functional.image_helpers import (
    PRODUCT,
    all_versions,
    call,
    image_keys,
    product_item,
    start_upload,
    store_with_product,
    upload_file,
    upload_status,
)
from tests.functional.store_helpers import BOB

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def _fields(response_body: dict[str, object]) -> dict[str, str]:
    fields = response_body["fields"]
    assert isinstance(fields, dict)
    return fields


def test_an_upload_link_is_a_presigned_post_limited_to_one_key_type_and_size(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    before = time.time()
    response = call(cloud, "POST", "/uploads", store, body={"content_type": "image/jpeg", "alt": "Lit"})

    assert response.status == 201, response.body
    body = response.body
    fields = _fields(body)
    assert fields["key"] == f"uploads/{store}/{PRODUCT}/{body['id']}"
    assert fields["Content-Type"] == "image/jpeg"
    assert body["url"].startswith("https://") and cloud.bucket in body["url"]
    assert body["status_url"] == f"/admin/stores/{store}/products/{PRODUCT}/images/uploads/{body['id']}"
    assert response.headers["location"] == body["status_url"]
    assert body["max_bytes"] == MAX_UPLOAD_BYTES
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    assert ["content-length-range", 1, MAX_UPLOAD_BYTES] in policy["conditions"]
    assert {"key": fields["key"]} in policy["conditions"]
    assert before + 14 * 60 < body["expires_at"] <= time.time() + 15 * 60 + 1

    status = upload_status(cloud, store, body["id"])
    assert status.status == 200
    assert status.body | {"created_at": 0} == {
        "id": body["id"],
        "product": PRODUCT,
        "status": "pending",
        "reason": None,
        "image": None,
        "created_at": 0,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content_type": "text/plain"}, "content_type"),
        ({"content_type": "image/svg+xml"}, "content_type"),  # scripts inside: never an accepted image
        ({"content_type": "image/png", "alt": "x" * 251}, "alt"),
        ({"content_type": "image/png", "key": "uploads/other"}, "key"),
        ({}, "content_type"),
    ],
)
def test_bad_upload_requests_change_nothing(cloud: Cloud, body: dict[str, object], field: str) -> None:
    store = store_with_product(cloud)
    response = call(cloud, "POST", "/uploads", store, body=body)
    assert response.status == 400
    assert [f["field"] for f in response.body["error"]["fields"]] == [field]
    assert [i for i in cloud.all_items("CatalogTable") if i["sk"]["S"].startswith("UPLOAD#")] == []


def test_no_link_for_a_missing_deleted_or_full_product(cloud: Cloud) -> None:
    store = store_with_product(cloud, images=20)
    missing = call(cloud, "POST", "/uploads", store, body={"content_type": "image/png"}, product="no-such-product")
    assert (missing.status, missing.body["error"]["fields"][0]["field"]) == (404, "product")
    full = call(cloud, "POST", "/uploads", store, body={"content_type": "image/png"})
    assert (full.status, full.body["error"]["fields"][0]["field"]) == (409, "images")


def test_another_stores_operator_cannot_learn_the_store_exists(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    started = start_upload(cloud, store)
    attempts: list[tuple[str, str, dict[str, str], Any]] = [
        ("POST", "/uploads", {}, {"content_type": "image/png"}),
        ("GET", "/uploads/{upload}", {"upload": started["id"]}, None),
        ("DELETE", "/{image}", {"image": "x"}, None),
        ("PATCH", "", {}, {"images": []}),
    ]
    for method, route, params, body in attempts:
        response = call(cloud, method, route, store, sub=BOB, body=body, **params)
        assert response.status == 404, (method, route)
        assert response.body["error"]["fields"][0]["field"] == "store"


def test_an_upload_is_only_found_under_its_own_product(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    started = start_upload(cloud, store)
    assert upload_status(cloud, store, started["id"], product="other-product").status == 404
    unknown = upload_status(cloud, store, "f" * 32)
    assert (unknown.status, unknown.body["error"]["fields"][0]["field"]) == (404, "upload")


def test_deleting_an_image_removes_it_from_the_product_and_its_files(cloud: Cloud) -> None:
    store = store_with_product(cloud, images=1)
    upload, outcome = upload_file(cloud, store, samples.png(800, 800))
    assert outcome == "accepted"
    assert len(cloud.object_keys(f"stores/{store}/products/{PRODUCT}/images/{upload}/")) == 3

    deleted = call(cloud, "DELETE", "/{image}", store, image=upload)
    assert deleted.status == 204
    assert image_keys(cloud, store) == [f"stores/{store}/products/{PRODUCT}/00-x.png"]
    assert cloud.object_keys(f"stores/{store}/products/{PRODUCT}/images/") == []
    again = call(cloud, "DELETE", "/{image}", store, image=upload)
    assert (again.status, again.body["error"]["fields"][0]["field"]) == (404, "image")


def test_arranging_reorders_images_and_changes_alt_texts(cloud: Cloud) -> None:
    store = store_with_product(cloud, images=2)
    upload, _ = upload_file(cloud, store, samples.webp(300, 200), "image/webp")
    listed = call(cloud, "PATCH", "", store, body={"images": []})
    assert listed.status == 409  # an empty order would drop three images
    ids = [i["M"].get("id", {}).get("S") for i in product_item(cloud, store)["images"]["L"]]
    assert ids[2] == upload and ids[:2] == [None, None]  # imported images have no stored id

    version = int(product_item(cloud, store)["version"]["N"])
    # The ids the operator sees (imported images get stable derived ones) come from an accepted upload's
    # answer and from any arrangement; an order naming an unknown id is refused.
    unknown = call(cloud, "PATCH", "", store, body={"images": [{"id": "a"}, {"id": "b"}, {"id": upload}]})
    assert unknown.status == 400
    assert int(product_item(cloud, store)["version"]["N"]) == version

    from nozzly.catalog.domain.catalog import ProductImage
    from nozzly.media.domain.image_uploads import image_ref

    imported = [
        image_ref(ProductImage(key=f"stores/{store}/products/{PRODUCT}/0{n}-x.png", alt="", content_type="image/png"))
        for n in range(2)
    ]
    order = [{"id": upload, "alt": "Front"}, {"id": imported[1]}, {"id": imported[0], "alt": ""}]
    arranged = call(cloud, "PATCH", "", store, body={"images": order})

    assert arranged.status == 200, arranged.body
    assert [(i["id"], i["alt"]) for i in arranged.body["items"]] == [
        (upload, "Front"),
        (imported[1], "old 1"),
        (imported[0], ""),
    ]
    assert set(arranged.body["items"][0]["renditions"]) == {"256"}
    stored = [i["M"] for i in product_item(cloud, store)["images"]["L"]]
    assert [i["alt"]["S"] for i in stored] == ["Front", "old 1", ""]
    assert int(product_item(cloud, store)["version"]["N"]) == version + 1


def test_duplicate_ids_in_an_arrangement_are_invalid(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    upload, _ = upload_file(cloud, store, samples.png())
    response = call(cloud, "PATCH", "", store, body={"images": [{"id": upload}, {"id": upload}]})
    assert (response.status, response.body["error"]["fields"][0]["field"]) == (400, "images")
    assert all_versions(cloud, "uploads/") == []
