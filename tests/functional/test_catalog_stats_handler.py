"""CatalogStats: product counts after an import (CatalogImported) and in the nightly recount (schedule)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.harness import (
    PUBLISHED,
    PUBLISHED_BY_CATEGORY,
    STORE,
    Cloud,
    load_event,
    product_payload,
    product_step,
    seed_store,
)

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

SECOND_STORE = "ashgrove-armoury"
EXPECTED = {slug: len(products) for slug, products in PUBLISHED_BY_CATEGORY.items()}


def _counts(cloud: Cloud, store: str = STORE) -> dict[str, int]:
    """product_count of every category, as the storefront shows it."""
    event = load_event("storefront_list_categories.json")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/stores/{store}/categories"
    event["pathParameters"] = {"store": store}
    response = cloud.http("StorefrontCatalog", event)
    assert response.status == 200, response.body
    return {c["slug"]: c["product_count"] for c in response.body["items"]}


def _store_total(cloud: Cloud, store: str = STORE) -> int:
    root = cloud.item("CatalogTable", store, "CATEGORY#")
    assert root is not None
    return int(root["product_count"]["N"])


def _imported(store: str = STORE) -> dict[str, Any]:
    event = load_event("catalog_stats_imported.json")
    event["detail"]["store_id"] = store
    return event


def test_counts_are_zero_until_the_import_is_announced(seeded: Cloud) -> None:
    assert _counts(seeded) == dict.fromkeys(EXPECTED, 0)
    assert _store_total(seeded) == 0


def test_catalog_imported_sets_the_counts_of_the_store(seeded: Cloud) -> None:
    result = seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))

    assert result == {"stores": [STORE]}
    assert _counts(seeded) == EXPECTED
    assert _store_total(seeded) == len(PUBLISHED)


def test_drafts_and_archived_products_are_not_counted(seeded: Cloud) -> None:
    seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))
    assert _counts(seeded)["shields"] == 1  # oaken-buckler; tower-shield is a draft

    # Unpublish a blade and publish the draft shield: the next recount follows.
    seeded.invoke("CatalogImport", product_step(product_payload("frost-sabre", "blades", 2, status="draft", images=0)))
    seeded.invoke("CatalogImport", product_step(product_payload("tower-shield", "shields", 5, images=0)))
    seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))

    assert _counts(seeded) == EXPECTED | {"blades": 2, "shields": 2}
    assert _store_total(seeded) == len(PUBLISHED)


def test_recount_twice_gives_the_same_counts(seeded: Cloud) -> None:
    seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))
    first = (_counts(seeded), _store_total(seeded), seeded.all_items("CatalogTable"))

    seeded.invoke("CatalogStats", load_event("catalog_stats_imported.json"))
    seeded.invoke("CatalogStats", load_event("catalog_stats_scheduled.json"))

    assert (_counts(seeded), _store_total(seeded), seeded.all_items("CatalogTable")) == first


def test_catalog_imported_recounts_only_its_store(seeded: Cloud) -> None:
    seed_store(seeded, SECOND_STORE)

    seeded.invoke("CatalogStats", _imported(SECOND_STORE))

    assert _counts(seeded, SECOND_STORE) == EXPECTED
    assert _counts(seeded) == dict.fromkeys(EXPECTED, 0)


def test_scheduled_event_recounts_every_store(seeded: Cloud) -> None:
    seed_store(seeded, SECOND_STORE)
    # A store whose products all arrived after its last recount: the event was missed.
    seeded.invoke("CatalogStats", _imported(SECOND_STORE))
    seeded.invoke("CatalogImport", product_step(product_payload("storm-falchion", "blades", 9, images=0), SECOND_STORE))

    result = seeded.invoke("CatalogStats", load_event("catalog_stats_scheduled.json"))

    assert sorted(result["stores"]) == sorted([STORE, SECOND_STORE])
    assert _counts(seeded) == EXPECTED
    assert _counts(seeded, SECOND_STORE) == EXPECTED | {"blades": 4}
    assert _store_total(seeded, SECOND_STORE) == len(PUBLISHED) + 1


def test_recount_of_a_store_without_products_writes_zeroes(cloud: Cloud) -> None:
    cloud.invoke("CatalogImport", load_event("catalog_import_store_step.json"))

    result = cloud.invoke("CatalogStats", load_event("catalog_stats_scheduled.json"))

    assert result == {"stores": [STORE]}
    assert _counts(cloud) == dict.fromkeys(EXPECTED, 0)
    assert _store_total(cloud) == 0


def test_scheduled_event_with_no_store_does_nothing(cloud: Cloud) -> None:
    assert cloud.invoke("CatalogStats", load_event("catalog_stats_scheduled.json")) == {"stores": []}
    assert cloud.all_items("CatalogTable") == []


def test_invalid_catalog_imported_detail_raises(cloud: Cloud) -> None:
    event = load_event("catalog_stats_imported.json")
    event["detail"] = {"products": []}

    with pytest.raises(Exception, match="store_id"):
        cloud.invoke("CatalogStats", event)
