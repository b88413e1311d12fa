"""An imported product must fit its store: a category of the store, prices in the store's currency."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.functional.harness import Cloud, load_event, store_step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def _product_step(**changes: Any) -> dict[str, Any]:
    event = load_event("catalog_import_product_step.json")
    event["product"].update(changes)
    return event


def _no_product_written(cloud: Cloud) -> None:
    assert [i for i in cloud.all_items("CatalogTable") if i["sk"]["S"].startswith("PRODUCT#")] == []
    assert cloud.object_keys("stores/") == []


def test_a_product_in_a_category_the_store_lacks_is_refused(cloud: Cloud) -> None:
    cloud.stage_image(load_event("catalog_import_product_step.json")["product"]["images"][0]["source_key"])
    with pytest.raises(ValidationError, match="not a category of the store"):
        cloud.invoke("CatalogImport", _product_step(category="wands"))
    _no_product_written(cloud)


def test_a_product_priced_in_another_currency_than_the_store_is_refused(cloud: Cloud) -> None:
    step = _product_step(price={"amount": 24900, "currency": "USD"}, compare_at_price=None)
    for variant in step["product"]["variants"]:
        variant.pop("price", None)
    with pytest.raises(ValidationError, match="store's currency EUR"):
        cloud.invoke("CatalogImport", step)
    _no_product_written(cloud)


def test_duplicate_category_slugs_are_refused_before_any_write(cloud: Cloud) -> None:
    event = store_step()
    event["categories"].append(dict(event["categories"][0], name="Again"))
    with pytest.raises(ValidationError, match="category slugs must be unique"):
        cloud.invoke("CatalogImport", event)
    assert cloud.all_items("StoresTable") == []
    assert cloud.all_items("CatalogTable") == []


@pytest.mark.parametrize("status", ["ready", "pending", "deleted"])
def test_an_import_never_overwrites_an_operators_or_a_deleted_store(cloud: Cloud, status: str) -> None:
    from nozzly.kernel.domain.errors import Conflict

    event = store_step()
    store_id = event["store"]["id"]
    profile = {"pk": {"S": store_id}, "sk": {"S": "PROFILE"}, "name": {"S": "Owned"}, "status": {"S": status}}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item=profile)

    with pytest.raises(Conflict, match="cannot be imported over"):
        cloud.invoke("CatalogImport", event)

    assert cloud.item("StoresTable", store_id, "PROFILE") == profile
    assert cloud.all_items("CatalogTable") == []


def test_an_imported_store_can_be_imported_again(cloud: Cloud) -> None:
    cloud.invoke("CatalogImport", store_step())
    renamed = store_step()
    renamed["store"]["name"] = "Renamed Forge"
    cloud.invoke("CatalogImport", renamed)
    profile = cloud.item("StoresTable", renamed["store"]["id"], "PROFILE")
    assert profile is not None and profile["name"] == {"S": "Renamed Forge"}


def test_a_store_in_an_unsupported_currency_is_refused_before_any_write(cloud: Cloud) -> None:
    event = store_step()
    event["store"]["currency"] = "XYZ"
    with pytest.raises(ValidationError, match="unsupported currency"):
        cloud.invoke("CatalogImport", event)
    assert cloud.all_items("StoresTable") == []
