"""`make export` then `make import AS=...` against the local cloud: the copy equals the demo store item by item
(after the id rewrite), its images are there under the new id, and the public API serves it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localcloud.template import load_sam
from ops import store_export, store_import
from ops.store_archive import table_file
from ops.store_items import StoreRewrite, decode_lines, encode
from ops.store_rules import exported
from ops.store_stack import Stack
from tests.e2e.conftest import DEMO_STORE, LocalCloud
from tests.e2e.shop import placed_order

COPY = "mystmereforge-restored"


def store_lines(stack: Stack, sam: dict[str, object], store: str) -> dict[str, list[str]]:
    return {
        shape.logical_id: sorted(encode(i) for i in stack.items(shape.logical_id, rule, store))
        for shape, rule in exported(sam)
    }


def test_the_demo_store_exported_and_imported_as_a_new_store_is_the_same_store_and_serves_its_products(
    local_cloud: LocalCloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    # an order (with its guest session, cart reminder, analytics, notifications), as other tests leave in the store
    order = placed_order(local_cloud, DEMO_STORE, local_cloud.published_products()[0]["slug"], "export@example.com")
    # the store at rest: the order's sales figures are in (else the copy's stream computes them after the import,
    # and the copy then holds more than the export: a second import is refused, rightly)
    analytics = local_cloud.names["AnalyticsTable"]
    contribution = {"pk": {"S": DEMO_STORE}, "sk": {"S": f"CONTRIB#{order}"}}
    dynamodb = local_cloud.client("dynamodb")
    assert local_cloud.eventually(
        lambda: dynamodb.get_item(TableName=analytics, Key=contribution).get("Item"), bool, 60
    )
    where = ["--endpoint-url", local_cloud.emulator_url, "--stack", "nozzly"]
    store_export.main(["--store", DEMO_STORE, "--to", str(tmp_path), *where])
    store_import.main(["--from", str(tmp_path), "--as", COPY, *where])
    store_import.main(["--from", str(tmp_path), "--as", COPY, *where])  # again: nothing to write
    printed = capsys.readouterr().out
    print(printed)  # the measured times and counts (pytest -s shows them)
    assert " 0 items written" in printed.splitlines()[-1] and " 0 objects written" in printed.splitlines()[-1]

    sam = load_sam()
    stack = Stack(
        "nozzly",
        local_cloud.client("dynamodb"),
        local_cloud.client("s3"),
        dict(local_cloud.names),
        local_cloud.names["ImagesBucket"],
    )
    rewrite = StoreRewrite(DEMO_STORE, COPY)
    imported = store_lines(stack, sam, COPY)
    for shape, _ in exported(sam):
        exported_items = decode_lines((tmp_path / table_file(shape.logical_id)).read_bytes())
        assert imported[shape.logical_id] == sorted(
            encode(rewrite.item(i, shape.key_attributes)) for i in exported_items
        ), shape.logical_id
    assert imported["CatalogTable"], "the demo store has a catalog"
    originals = sorted(o["Key"].removeprefix(f"stores/{DEMO_STORE}/") for o in stack.objects(f"stores/{DEMO_STORE}/"))
    copies = sorted(o["Key"].removeprefix(f"stores/{COPY}/") for o in stack.objects(f"stores/{COPY}/"))
    assert copies == originals and copies

    demo = local_cloud.get_json(f"/stores/{DEMO_STORE}/products?limit=50")
    copy = local_cloud.get_json(f"/stores/{COPY}/products?limit=50")
    assert [p["slug"] for p in copy["items"]] == [p["slug"] for p in demo["items"]] and copy["items"]
    slug = demo["items"][0]["slug"]
    detail = local_cloud.get_json(f"/stores/{COPY}/products/{slug}")
    original = local_cloud.get_json(f"/stores/{DEMO_STORE}/products/{slug}")
    assert (detail["title"], detail["variants"]) == (original["title"], original["variants"])
    images = str(detail["images"])
    assert f"stores/{COPY}/" in images and f"stores/{DEMO_STORE}/" not in images, "the copy's images are its own"
    image = local_cloud.fetch(detail["images"][0]["url"])
    assert image.status == 200 and image.body, "its image files are served"

    # Counts are recomputed asynchronously (CatalogStats) and the demo store keeps changing under other tests: the
    # categories themselves must be the same, each image (a category banner another test uploaded) the copy's own.
    def categories(store: str) -> str:
        found = local_cloud.get_json(f"/stores/{store}/categories")["items"]
        return json.dumps([{k: v for k, v in c.items() if "count" not in k} for c in found], sort_keys=True)

    copied = categories(COPY)
    assert f"stores/{DEMO_STORE}/" not in copied
    assert copied.replace(f"stores/{COPY}/", f"stores/{DEMO_STORE}/") == categories(DEMO_STORE)
