"""ImageProcessor fed the S3 event of events/: checks the real bytes, keeps images, deletes everything else."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from PIL import Image

from nozzly.media.domain.image_checks import (
    BROKEN,
    MAX_UPLOAD_BYTES,
    NOT_AN_IMAGE,
    PRODUCT_FULL,
    PRODUCT_GONE,
    TOO_LARGE,
)
from tests import image_samples as samples
from tests.functional.harness import Cloud
from tests.functional.image_helpers import (
    PRODUCT,
    all_versions,
    image_keys,
    process,
    product_item,
    put_product,
    put_upload,
    start_upload,
    store_with_product,
    upload_file,
    upload_status,
)

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def _version(cloud: Cloud, store: str) -> int:
    return int(product_item(cloud, store)["version"]["N"])


def _object(cloud: Cloud, key: str) -> bytes:
    body: bytes = cloud.client("s3").get_object(Bucket=cloud.bucket, Key=key)["Body"].read()
    return body


def test_a_png_becomes_a_product_image_with_webp_renditions(cloud: Cloud) -> None:
    store = store_with_product(cloud, images=1)
    original = samples.png(1000, 600)
    upload, outcome = upload_file(cloud, store, original)

    assert outcome == "accepted"
    images = product_item(cloud, store)["images"]["L"]
    assert len(images) == 2  # appended after the one it had
    image = images[1]["M"]
    prefix = f"stores/{store}/products/{PRODUCT}/images/{upload}/"
    assert image["id"]["S"] == upload
    assert image["alt"]["S"] == "A lit lantern"
    # Content-addressed: each name carries its bytes' SHA-256 (16 hex digits), so a URL never changes meaning.
    assert image["key"]["S"] == prefix + f"original-{hashlib.sha256(original).hexdigest()[:16]}.png"
    assert _object(cloud, image["key"]["S"]) == original
    renditions = {w: v["S"] for w, v in image["renditions"]["M"].items()}
    assert sorted(renditions) == ["256", "768"]  # 1600 would be an upscale
    for width, key in renditions.items():
        data = _object(cloud, key)
        assert key == prefix + f"{width}-{hashlib.sha256(data).hexdigest()[:16]}.webp"
        with Image.open(io.BytesIO(data)) as rendition:
            assert (rendition.format, rendition.size) == ("WEBP", (int(width), round(600 * int(width) / 1000)))
    assert all_versions(cloud, "uploads/") == []  # the uploaded file is gone for good, every version
    assert _version(cloud, store) == 4  # one conditional write

    status = upload_status(cloud, store, upload)
    assert status.status == 200
    assert status.body["status"] == "accepted"
    assert status.body["reason"] is None
    assert status.body["image"]["id"] == upload
    assert set(status.body["image"]["renditions"]) == {"256", "768"}
    assert renditions["768"] in status.body["image"]["renditions"]["768"]


def test_a_repeated_event_changes_nothing(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    started = start_upload(cloud, store)
    data = samples.jpeg(300, 300)
    key = put_upload(cloud, started, data)
    assert process(cloud, key, len(data)) == {key: "accepted"}
    before = product_item(cloud, store)
    objects = all_versions(cloud, "stores/")

    assert process(cloud, key, len(data)) == {key: "already_done"}
    assert product_item(cloud, store) == before
    assert all_versions(cloud, "stores/") == objects


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (samples.TEXT_NAMED_PNG, NOT_AN_IMAGE),
        (samples.truncated_png(), BROKEN),
        (b"", "The file is empty."),
    ],
    ids=["text-named-png", "truncated-png", "empty"],
)
def test_a_file_that_is_not_a_whole_image_is_rejected_and_deleted(cloud: Cloud, data: bytes, reason: str) -> None:
    store = store_with_product(cloud, images=1)
    before = product_item(cloud, store)
    upload, outcome = upload_file(cloud, store, data)

    assert outcome == "rejected"
    status = upload_status(cloud, store, upload).body
    assert (status["status"], status["reason"], status["image"]) == ("rejected", reason, None)
    assert product_item(cloud, store) == before
    assert all_versions(cloud, "uploads/") == []
    assert all_versions(cloud, f"stores/{store}/products/{PRODUCT}/images/") == []


def test_an_oversized_file_is_rejected_without_being_read(cloud: Cloud) -> None:
    from nozzly.kernel.adapters import aws

    store = store_with_product(cloud)
    before = product_item(cloud, store)
    started = start_upload(cloud, store)
    data = samples.png() + b"\x00" * MAX_UPLOAD_BYTES  # what S3's policy would refuse, had it been bypassed
    key = put_upload(cloud, started, data)
    cloud.apply_environment(cloud.environments["ImageProcessor"])
    calls: list[str] = []
    aws.client("s3").meta.events.register("before-call.s3", lambda model, **_: calls.append(model.name))

    assert process(cloud, key, len(data)) == {key: "rejected"}
    assert "GetObject" not in calls
    assert upload_status(cloud, store, started["id"]).body["reason"] == TOO_LARGE
    assert product_item(cloud, store) == before
    assert all_versions(cloud, "uploads/") == []


def test_an_image_for_a_product_deleted_meanwhile_is_rejected_and_leaves_no_files(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    started = start_upload(cloud, store)
    cloud.client("dynamodb").update_item(
        TableName=cloud.catalog_table,
        Key={"pk": {"S": store}, "sk": {"S": f"PRODUCT#{PRODUCT}"}},
        UpdateExpression="SET deleted = :t, version = version + :one",
        ExpressionAttributeValues={":t": {"BOOL": True}, ":one": {"N": "1"}},
    )
    data = samples.png(300, 300)
    key = put_upload(cloud, started, data)

    assert process(cloud, key, len(data)) == {key: "rejected"}
    assert upload_status(cloud, store, started["id"]).body["reason"] == PRODUCT_GONE
    assert product_item(cloud, store)["images"]["L"] == []
    assert cloud.object_keys(f"stores/{store}/") == []  # written before the product was found gone: deleted
    assert all_versions(cloud, "uploads/") == []


def test_an_image_for_a_product_filled_meanwhile_is_rejected(cloud: Cloud) -> None:
    store = store_with_product(cloud, images=19)
    first, second = start_upload(cloud, store), start_upload(cloud, store)  # both allowed: 19 < 20
    data = samples.png()
    first_key, second_key = put_upload(cloud, first, data), put_upload(cloud, second, data)

    assert process(cloud, first_key, len(data)) == {first_key: "accepted"}
    assert process(cloud, second_key, len(data)) == {second_key: "rejected"}
    assert upload_status(cloud, store, second["id"]).body["reason"] == PRODUCT_FULL
    assert len(image_keys(cloud, store)) == 20


def test_a_concurrent_product_edit_is_kept_and_the_image_still_attached(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nozzly.media.adapters.product_images import ProductImagesRepository

    store = store_with_product(cloud)
    real_write = ProductImagesRepository.write
    edits: list[int] = []

    def edited_meanwhile(self: ProductImagesRepository, *args: Any) -> bool:
        if not edits:  # the catalog's write side renames the product between our read and our write
            cloud.client("dynamodb").update_item(
                TableName=cloud.catalog_table,
                Key={"pk": {"S": store}, "sk": {"S": f"PRODUCT#{PRODUCT}"}},
                UpdateExpression="SET title = :t, version = version + :one",
                ExpressionAttributeValues={":t": {"S": "Renamed Shade"}, ":one": {"N": "1"}},
            )
            edits.append(1)
        return real_write(self, *args)

    monkeypatch.setattr(ProductImagesRepository, "write", edited_meanwhile)
    _, outcome = upload_file(cloud, store, samples.png())

    assert outcome == "accepted"
    item = product_item(cloud, store)
    assert item["title"]["S"] == "Renamed Shade"  # never overwritten by a full put
    assert len(item["images"]["L"]) == 1
    assert int(item["version"]["N"]) == 5  # 3, the edit, the image


def test_a_file_nobody_asked_to_upload_is_deleted(cloud: Cloud) -> None:
    store = store_with_product(cloud)
    before = product_item(cloud, store)
    key = f"uploads/{store}/{PRODUCT}/made-up-id"
    cloud.client("s3").put_object(Bucket=cloud.bucket, Key=key, Body=samples.png())

    assert process(cloud, key, 100) == {key: "ignored"}
    assert all_versions(cloud, "uploads/") == []
    assert product_item(cloud, store) == before


def test_an_upload_id_under_another_products_path_is_ignored(cloud: Cloud) -> None:
    """The key names the product; an upload record of another product with the same id is not it."""
    store = store_with_product(cloud)
    put_product(cloud, store, slug="other-shade")
    started = start_upload(cloud, store)
    key = f"uploads/{store}/other-shade/{started['id']}"
    cloud.client("s3").put_object(Bucket=cloud.bucket, Key=key, Body=samples.png())

    assert process(cloud, key, 100) == {key: "ignored"}
    assert product_item(cloud, store, "other-shade")["images"]["L"] == []
    assert upload_status(cloud, store, started["id"]).body["status"] == "pending"
