"""Amounts past the documented maximum (MAX_AMOUNT_MINOR) and absurd counts are 400 naming the field, and
change nothing; the maximum itself is stored and listed like any price."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.kernel.domain.money import MAX_AMOUNT_MINOR
from tests.functional.harness import Cloud
from tests.functional.store_helpers import ALICE, open_store, provision
from tests.functional.test_catalog_admin import LAMP, call, create

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def store(cloud: Cloud) -> str:
    opened = open_store(cloud, ALICE)
    provision(cloud, opened)
    return opened


SMALL = {"name": "Small", "sku": "LAMP-S", "stock_on_hand": 4}


def eur(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR"}


def assert_400_naming(response: Any, field: str) -> None:
    assert response.status == 400, response.body
    assert response.body["error"]["code"] == "validation_error"
    assert [f["field"] for f in response.body["error"]["fields"]] == [field]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (LAMP | {"price": eur(10**40)}, "price.amount"),
        (LAMP | {"compare_at_price": eur(2**63)}, "compare_at_price.amount"),
        (LAMP | {"cost": eur(MAX_AMOUNT_MINOR + 1)}, "cost.amount"),
        (LAMP | {"variants": [SMALL | {"price": eur(10**40)}]}, "variants.0.price.amount"),
    ],
)
def test_an_oversized_amount_on_a_new_product_is_400_and_stores_nothing(
    cloud: Cloud, store: str, body: dict[str, Any], field: str
) -> None:
    assert_400_naming(call(cloud, "POST /products", ALICE, store, body), field)
    assert call(cloud, "GET /products", ALICE, store).body["items"] == []


@pytest.mark.parametrize(
    ("route", "changes", "field"),
    [
        ("PATCH /products/{product}", {"price": eur(10**40)}, "price.amount"),
        ("PATCH /products/{product}", {"compare_at_price": eur(2**63)}, "compare_at_price.amount"),
        ("PATCH /products/{product}", {"version": 10**40}, "version"),
        ("PATCH /products/{product}/variants/{variant}", {"price": eur(10**40)}, "price.amount"),
        (
            "POST /products/{product}/variants/{variant}/stock-adjustments",
            {"delta": 10**40, "reason": "received"},
            "delta",
        ),
    ],
)
def test_an_oversized_change_is_400_and_changes_nothing(
    cloud: Cloud, store: str, route: str, changes: dict[str, Any], field: str
) -> None:
    lamp = create(cloud, store)
    response = call(cloud, route, ALICE, store, changes, product=lamp["slug"], variant="small")
    assert_400_naming(response, field)
    assert call(cloud, "GET /products/{product}", ALICE, store, product=lamp["slug"]).body == lamp


def test_the_maximum_amount_is_a_price_like_any_other(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store, LAMP | {"price": eur(MAX_AMOUNT_MINOR), "status": "published"})
    assert lamp["price"]["amount"] == MAX_AMOUNT_MINOR
    assert lamp["price"]["display"] == "999999999.99"
