"""The CatalogImport steps the state machine runs: the store with its categories, then one product each."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from nozzly.kernel.domain.errors import InvalidInput
from tests.functional.harness import STORE, Cloud, load_event, product_payload, product_step, store_step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

EMBER_IMAGE = "imports/mystmereforge/ember-longsword.png"


def _ember_key(cloud: Cloud) -> str:
    """Content-addressed: the staged file's MD5 (its ETag) in the kept copy's name."""
    etag = cloud.client("s3").head_object(Bucket=cloud.bucket, Key=EMBER_IMAGE)["ETag"].strip('"')
    return f"stores/mystmereforge/products/ember-longsword/00-{etag[:16]}-ember-longsword.png"


def _ember_step(change: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    event = load_event("catalog_import_product_step.json")
    if change is not None:
        change(event["product"])
    return event


def _nothing_written(cloud: Cloud) -> None:
    assert cloud.all_items("StoresTable") == []
    assert cloud.all_items("CatalogTable") == []
    assert cloud.object_keys("stores/") == []


# ---------------------------------------------------------------- store step
def test_store_step_writes_the_profile_the_catalog_root_and_the_categories(cloud: Cloud) -> None:
    result = cloud.invoke("CatalogImport", load_event("catalog_import_store_step.json"))

    # What the state machine's ResultSelector reads and hands to every product step.
    assert result == {
        "store_id": STORE,
        "currency": "EUR",
        "categories": ["accessories", "blades", "daggers", "shields"],
    }
    profile = cloud.item("StoresTable", STORE, "PROFILE")
    assert profile is not None
    assert (profile["name"]["S"], profile["currency"]["S"], profile["status"]["S"]) == (
        "Mystmere Forge",
        "EUR",
        "active",
    )
    sks = [i["sk"]["S"] for i in cloud.all_items("CatalogTable")]
    assert sks == ["CATEGORY#", "CATEGORY#accessories", "CATEGORY#blades", "CATEGORY#daggers", "CATEGORY#shields"]
    daggers = cloud.item("CatalogTable", STORE, "CATEGORY#daggers")
    assert daggers is not None
    assert (daggers["parent"]["S"], daggers["product_count"]["N"]) == ("blades", "0")


def test_store_step_twice_changes_nothing_and_keeps_product_counts(seeded: Cloud) -> None:
    seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))
    before = (seeded.all_items("StoresTable"), seeded.all_items("CatalogTable"))

    seeded.invoke("CatalogImport", load_event("catalog_import_store_step.json"))

    assert (seeded.all_items("StoresTable"), seeded.all_items("CatalogTable")) == before
    blades = seeded.item("CatalogTable", STORE, "CATEGORY#blades")
    assert blades is not None
    assert blades["product_count"] == {"N": "3"}


def test_store_step_updates_a_category_and_drops_a_removed_parent(cloud: Cloud) -> None:
    cloud.invoke("CatalogImport", store_step())
    event = store_step()
    daggers = next(c for c in event["categories"] if c["slug"] == "daggers")
    daggers.pop("parent")
    daggers["name"] = "Daggers & knives"

    cloud.invoke("CatalogImport", event)

    item = cloud.item("CatalogTable", STORE, "CATEGORY#daggers")
    assert item is not None
    assert item["name"] == {"S": "Daggers & knives"}
    assert "parent" not in item


def test_category_with_unknown_parent_fails_and_writes_nothing(cloud: Cloud) -> None:
    event = store_step()
    event["categories"].append({"slug": "greatswords", "name": "Greatswords", "parent": "zweihanders"})

    with pytest.raises(InvalidInput, match="unknown parent"):
        cloud.invoke("CatalogImport", event)

    _nothing_written(cloud)


def test_duplicate_category_fails_and_writes_nothing(cloud: Cloud) -> None:
    event = store_step()
    event["categories"].append(copy.deepcopy(event["categories"][0]))

    with pytest.raises(Exception):  # noqa: B017 - the transaction refuses it; any error fails the step
        cloud.invoke("CatalogImport", event)

    _nothing_written(cloud)


def test_store_step_with_many_categories_is_still_all_or_nothing(cloud: Cloud) -> None:
    event = store_step()
    event["categories"] = [{"slug": f"shelf-{n:03d}", "name": f"Shelf {n}", "position": n} for n in range(150)]

    with pytest.raises(ValidationError):  # more than one transaction holds: refused before any write
        cloud.invoke("CatalogImport", event)

    _nothing_written(cloud)


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e["store"].update(country="Germany"),
        lambda e: e["store"].update(id="Mystmere Forge"),
        lambda e: e["categories"][0].update(position=-1),
        lambda e: e.pop("categories"),
    ],
    ids=["country", "store-id", "negative-position", "no-categories"],
)
def test_invalid_store_step_raises_and_writes_nothing(cloud: Cloud, change: Callable[[dict[str, Any]], Any]) -> None:
    event = store_step()
    change(event)

    with pytest.raises(ValidationError):
        cloud.invoke("CatalogImport", event)

    _nothing_written(cloud)


def test_unknown_step_raises(cloud: Cloud) -> None:
    with pytest.raises(ValueError, match="unknown import step"):
        cloud.invoke("CatalogImport", {"step": "teleport"})


# ---------------------------------------------------------------- product step
def test_product_step_copies_its_images_out_of_the_staging_area(cloud: Cloud) -> None:
    cloud.invoke("CatalogImport", store_step())
    cloud.stage_image(EMBER_IMAGE)

    result = cloud.invoke("CatalogImport", load_event("catalog_import_product_step.json"))

    assert result == {"slug": "ember-longsword"}  # what the Map state's ResultSelector reads
    EMBER_KEY = _ember_key(cloud)
    assert cloud.object_keys("stores/") == [EMBER_KEY]
    assert cloud.object_keys("imports/") == [EMBER_IMAGE]
    head = cloud.client("s3").head_object(Bucket=cloud.bucket, Key=EMBER_KEY)
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    item = cloud.item("CatalogTable", STORE, "PRODUCT#ember-longsword")
    assert item is not None
    assert item["images"]["L"][0]["M"]["key"] == {"S": EMBER_KEY}
    assert (item["gsi1pk"], item["gsi2pk"]) == ({"S": f"{STORE}#PRODUCTS"}, {"S": f"{STORE}#CATEGORY#blades"})


def test_product_step_twice_is_the_same_product(cloud: Cloud) -> None:
    cloud.invoke("CatalogImport", store_step())
    cloud.stage_image(EMBER_IMAGE)
    cloud.invoke("CatalogImport", load_event("catalog_import_product_step.json"))
    before = cloud.all_items("CatalogTable")

    cloud.invoke("CatalogImport", load_event("catalog_import_product_step.json"))

    assert cloud.all_items("CatalogTable") == before
    assert cloud.object_keys("stores/") == [_ember_key(cloud)]


def test_draft_product_is_kept_out_of_the_storefront_indexes(cloud: Cloud) -> None:
    cloud.invoke("CatalogImport", product_step(product_payload("tower-shield", "shields", 5, status="draft", images=0)))

    item = cloud.item("CatalogTable", STORE, "PRODUCT#tower-shield")
    assert item is not None
    assert item["status"] == {"S": "draft"}
    assert not {"gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"} & set(item)


def _set_variant(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda p: p["variants"][0].update(fields)


@pytest.mark.parametrize(
    "change",
    [
        _set_variant(stock_on_hand=-1),
        lambda p: p["price"].update(currency="XYZ"),
        lambda p: p["price"].update(amount=-100),
        lambda p: p["price"].update(amount=129.5),
        _set_variant(price={"amount": 15900, "currency": "USD"}),
        lambda p: p["compare_at_price"].update(currency="GBP"),
        lambda p: p.update(variants=[]),
        lambda p: p.update(status="hidden"),
        lambda p: p.update(slug="Ember Longsword"),
        lambda p: p["images"][0].update(source_key="stores/elsewhere/ember.png"),
    ],
    ids=[
        "negative-stock",
        "unknown-currency",
        "negative-price",
        "fractional-price",
        "mixed-currencies",
        "compare-at-currency",
        "no-variants",
        "unknown-status",
        "bad-slug",
        "image-outside-staging",
    ],
)
def test_invalid_product_raises_and_writes_nothing(cloud: Cloud, change: Callable[[dict[str, Any]], None]) -> None:
    cloud.stage_image(EMBER_IMAGE)

    with pytest.raises(ValidationError):
        cloud.invoke("CatalogImport", _ember_step(change))

    _nothing_written(cloud)


def test_unsupported_image_type_raises_and_writes_nothing(cloud: Cloud) -> None:
    cloud.client("s3").put_object(Bucket=cloud.bucket, Key="imports/mystmereforge/ember.txt", Body=b"not an image")

    with pytest.raises(ValidationError, match=r"must name a \.png, \.jpg, \.webp or \.gif file"):
        cloud.invoke(
            "CatalogImport", _ember_step(lambda p: p["images"][0].update(source_key="imports/mystmereforge/ember.txt"))
        )

    _nothing_written(cloud)


def _second_image_unsupported(product: dict[str, Any]) -> None:
    product["images"].append({"source_key": "imports/mystmereforge/ember.txt", "alt": "not an image"})


@pytest.mark.parametrize(
    ("change", "error"),
    [(_set_variant(sku="MF-EMBER-GLD"), "SKUs must be unique"), (_second_image_unsupported, r"must name a \.png")],
    ids=["duplicate-sku", "second-image-unsupported"],
)
def test_rejected_product_copies_no_image(cloud: Cloud, change: Callable[[dict[str, Any]], None], error: str) -> None:
    cloud.stage_image(EMBER_IMAGE)
    cloud.client("s3").put_object(Bucket=cloud.bucket, Key="imports/mystmereforge/ember.txt", Body=b"not an image")

    with pytest.raises((InvalidInput, ValidationError), match=error):
        cloud.invoke("CatalogImport", _ember_step(change))

    _nothing_written(cloud)
