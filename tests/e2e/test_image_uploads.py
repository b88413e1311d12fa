"""An owner uploads product images through a presigned POST; S3 notifies ImageProcessor, all in the local cloud."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from nozzly.catalog.adapters.catalog_codec import product_to_data
from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.kernel.adapters.dynamo import to_item
from nozzly.kernel.domain.money import Money
from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES, NOT_AN_IMAGE
from tests import image_samples as samples
from tests.e2e.conftest import Response, http_request
from tests.e2e.operators import call, log_in, open_ready_store

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e
PRODUCT = "brass-lantern"


def _put_product(cloud: LocalCloud, store: str) -> None:
    """A freshly opened store has no products: one as the catalog's write side stores it."""
    product = Product(
        store_id=store,
        slug=PRODUCT,
        title="Brass Lantern",
        price=Money(4200, "EUR"),
        category="fiction",
        variants=(Variant(variant_id="default", sku=f"BL-{store}", title="Default", stock_on_hand=3),),
        version=1,
    )
    cloud.client("dynamodb").put_item(TableName=cloud.names["CatalogTable"], Item=to_item(product_to_data(product)))


def _form_post(url: str, fields: dict[str, str], filename: str, data: bytes, content_type: str) -> Response:
    """multipart/form-data as a browser sends it: the policy's fields first, then the file."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return http_request(url, "POST", {"content-type": f"multipart/form-data; boundary={boundary}"}, body)


def _start(cloud: LocalCloud, token: str, store: str, content_type: str = "image/png") -> dict[str, Any]:
    started = call(
        cloud,
        "POST",
        f"/admin/stores/{store}/products/{PRODUCT}/images/uploads",
        token,
        {"content_type": content_type, "alt": "The lantern, lit"},
    )
    assert started.status == 201, started.body
    body: dict[str, Any] = started.json()
    return body


def _settled(cloud: LocalCloud, token: str, started: dict[str, Any]) -> dict[str, Any]:
    def status() -> dict[str, Any]:
        found: dict[str, Any] = call(cloud, "GET", started["status_url"], token).json()
        return found

    return cloud.eventually(status, lambda s: s["status"] != "pending", timeout=30)


def _product(cloud: LocalCloud, store: str) -> dict[str, Any]:
    found: dict[str, Any] = cloud.get_json(f"/stores/{store}/products/{PRODUCT}")
    return found


def test_an_owner_uploads_a_png_that_the_storefront_then_shows(local_cloud: LocalCloud) -> None:
    token = log_in(local_cloud, "", "images-owner@images.test")
    store = open_ready_store(local_cloud, token, "Lantern Images")
    _put_product(local_cloud, store)
    started = _start(local_cloud, token, store)

    uploaded = _form_post(started["url"], started["fields"], "lantern.png", samples.png(900, 600), "image/png")

    assert uploaded.status == 204, uploaded.body
    done = _settled(local_cloud, token, started)
    assert done["status"] == "accepted", done
    assert set(done["image"]["renditions"]) == {"256", "768"}
    rendition = local_cloud.fetch(done["image"]["renditions"]["768"])
    assert rendition.status == 200
    assert rendition.body[8:12] == b"WEBP"
    shown = _product(local_cloud, store)["images"]
    assert len(shown) == 1
    assert re.search(f"/images/{started['id']}/original-[0-9a-f]{{16}}[.]png$", shown[0]["url"])
    assert shown[0]["alt"] == "The lantern, lit"


def test_a_text_file_named_png_is_rejected_and_the_product_unchanged(local_cloud: LocalCloud) -> None:
    token = log_in(local_cloud, "", "text-owner@images.test")
    store = open_ready_store(local_cloud, token, "Lantern Text")
    _put_product(local_cloud, store)
    before = _product(local_cloud, store)
    started = _start(local_cloud, token, store)

    uploaded = _form_post(started["url"], started["fields"], "photo.png", samples.TEXT_NAMED_PNG, "image/png")

    assert uploaded.status == 204  # S3 only checks the declared type; the processor checks the bytes
    done = _settled(local_cloud, token, started)
    assert (done["status"], done["reason"], done["image"]) == ("rejected", NOT_AN_IMAGE, None)
    assert _product(local_cloud, store) == before
    bucket = local_cloud.names["ImagesBucket"]
    listed = local_cloud.client("s3").list_object_versions(Bucket=bucket, Prefix=f"uploads/{store}/")
    assert listed.get("Versions", []) == []


def test_s3_refuses_an_oversized_file_or_another_type_at_upload(local_cloud: LocalCloud) -> None:
    token = log_in(local_cloud, "", "big-owner@images.test")
    store = open_ready_store(local_cloud, token, "Lantern Large")
    _put_product(local_cloud, store)
    started = _start(local_cloud, token, store)

    too_large = _form_post(started["url"], started["fields"], "big.png", b"\0" * (MAX_UPLOAD_BYTES + 1), "image/png")
    assert too_large.status == 400
    assert b"<Code>EntityTooLarge</Code>" in too_large.body
    html = started["fields"] | {"Content-Type": "text/html"}
    wrong_type = _form_post(started["url"], html, "page.html", b"<script></script>", "text/html")
    assert wrong_type.status == 403
    assert b"<Code>AccessDenied</Code>" in wrong_type.body

    status = call(local_cloud, "GET", started["status_url"], token).json()
    assert status["status"] == "pending"  # nothing arrived: the link can still be used until it expires
    bucket = local_cloud.names["ImagesBucket"]
    assert local_cloud.client("s3").list_objects_v2(Bucket=bucket, Prefix=f"uploads/{store}/")["KeyCount"] == 0
