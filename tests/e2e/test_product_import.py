"""The AI-assisted product import end to end: the real route, state machine, steps function, Bedrock peer
(boto3 Converse), a supplier on loopback, S3 and DynamoDB in the emulator."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from localcloud.ports import bedrock_url
from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call, log_in, open_ready_store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop(local_cloud: LocalCloud) -> tuple[str, str]:
    token = log_in(local_cloud, "", "importer@imports.test")
    store = open_ready_store(local_cloud, token, "Lamp Loft")
    made = call(local_cloud, "POST", f"/admin/stores/{store}/categories", token, {"name": "Lighting"})
    assert made.status == 201, made.body
    return token, store


def start(cloud: LocalCloud, token: str, store: str, source_url: str) -> Any:
    return call(
        cloud, "POST", f"/admin/stores/{store}/imports", token, {"source_url": source_url, "category": "lighting"}
    )


def finished(cloud: LocalCloud, token: str, progress_url: str) -> dict[str, Any]:
    def probe() -> dict[str, Any]:
        found: dict[str, Any] = call(cloud, "GET", progress_url, token).json()
        return found

    return cloud.eventually(probe, lambda run: run["status"] != "running", timeout=120)


def test_an_import_makes_a_draft_with_ai_copy_webp_renditions_and_a_rule_price(
    local_cloud: LocalCloud, shop: tuple[str, str], supplier: str
) -> None:
    token, store = shop
    started = start(local_cloud, token, store, f"{supplier}/products/EL-100.json")
    assert started.status == 202, started.body
    run = finished(local_cloud, token, started.json()["progress_url"])
    assert run["status"] == "succeeded", run
    assert [s["state"] for s in run["steps"]] == ["done"] * 5 and not run["needs_copy"] and run["ai_tokens"] > 0

    product = call(local_cloud, "GET", f"/admin/stores/{store}/products/{run['product']}", token).json()
    assert product["status"] == "draft"
    assert product["seo_title"] == "Ember Glass Table Lamp | Free Shipping"  # the peer's copy from the facts
    assert "<li>Hand-blown glass</li>" in product["description"]
    # Cost 10.00 is in the 10-50 band (x2.5): 25.00 -> 25.99; compare-at 25.99 x 1.3 -> 33.99 (pricing tests).
    assert (product["price"]["amount"], product["compare_at_price"]["amount"], product["cost"]["amount"]) == (
        2599,
        3399,
        1000,
    )
    assert product["source"] == {
        "url": f"{supplier}/products/EL-100.json",
        "supplier_sku": "EL-100",
        "import_id": run["id"],
        "needs_copy": False,
    }
    assert [i["alt"] for i in product["images"]] == [
        "Ember Glass Table Lamp, photo 1",
        "Ember Glass Table Lamp, photo 2",
    ]
    assert all(len(i["renditions"]) >= 1 for i in product["images"]), product["images"]
    s3 = local_cloud.client("s3")
    bucket = local_cloud.names["ImagesBucket"]
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"stores/{store}/products/{run['product']}/images/")
    webp = [o["Key"] for o in listed.get("Contents", []) if o["Key"].endswith(".webp")]
    assert len(webp) == sum(len(i["renditions"]) for i in product["images"])
    assert {s3.head_object(Bucket=bucket, Key=k)["ContentType"] for k in webp} == {"image/webp"}

    again = start(local_cloud, token, store, f"{supplier}/products/EL-100.json")
    assert again.status == 202 and again.json()["id"] == run["id"] and again.json()["product"] == run["product"]
    drafts = call(local_cloud, "GET", f"/admin/stores/{store}/products?status=draft", token).json()["items"]
    assert [p["slug"] for p in drafts if p["title"] == "Ember Glass Table Lamp"] == [run["product"]]


def test_a_throttled_ai_call_is_retried_then_the_supplier_copy_is_kept(
    local_cloud: LocalCloud, shop: tuple[str, str], supplier: str
) -> None:
    token, store = shop
    with urllib.request.urlopen(f"{bedrock_url()}/_nozzly/calls") as answer:
        throttled_before = json.load(answer).get("ThrottlingException", 0)
    started = start(local_cloud, token, store, f"{supplier}/products/TH-200.json")
    assert started.status == 202, started.body
    run = finished(local_cloud, token, started.json()["progress_url"])
    assert run["status"] == "succeeded" and run["needs_copy"] and run["ai_tokens"] == 0, run
    with urllib.request.urlopen(f"{bedrock_url()}/_nozzly/calls") as answer:
        assert json.load(answer)["ThrottlingException"] - throttled_before == 2  # the call and its one retry
    product = call(local_cloud, "GET", f"/admin/stores/{store}/products/{run['product']}", token).json()
    assert product["seo_title"] == "Copper Forge Tankard nozzly:throttle"  # the supplier's own title
    assert product["description"] == "<p>A hammered copper tankard.</p><ul><li>500 ml</li></ul>"
    assert product["source"]["needs_copy"] is True and product["price"]["amount"] == 1399


def test_ssrf_attempts_are_refused_and_leave_nothing(
    local_cloud: LocalCloud, shop: tuple[str, str], supplier: str
) -> None:
    token, store = shop
    metadata = start(local_cloud, token, store, "http://169.254.169.254/latest/meta-data/")
    assert metadata.status == 400 and "a cloud metadata address" in metadata.body.decode(), metadata.body

    redirected = start(local_cloud, token, store, f"{supplier}/redirect/private")
    assert redirected.status == 202, redirected.body
    run = finished(local_cloud, token, redirected.json()["progress_url"])
    assert run["status"] == "failed" and run["product"] is None, run
    assert "10.0.0.7, a private or reserved address" in run["error"], run
    assert run["steps"][0] == {"step": "fetch", "state": "failed"}
