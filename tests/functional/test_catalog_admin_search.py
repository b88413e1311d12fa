"""Operators search their products (`q` of GET /admin/stores/{store}/products) through the CatalogAdmin handler."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.catalog.adapters import catalog_admin as repository
from tests.functional.harness import Cloud
from tests.functional.store_helpers import ALICE, BOB, open_store, provision
from tests.functional.test_catalog_admin import LAMP, call, create

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
EUR = {"amount": 1000, "currency": "EUR"}


@pytest.fixture
def store(cloud: Cloud) -> str:
    opened = open_store(cloud, ALICE)
    provision(cloud, opened)
    return opened


def product(title: str, sku: str, category: str = "decor", **more: Any) -> dict[str, Any]:
    return {"title": title, "category": category, "price": EUR, "sku": sku} | more


def found(cloud: Cloud, store: str, **query: str) -> list[str]:
    response = call(cloud, "GET /products", ALICE, store, **query)
    assert response.status == 200, response.body
    return [p["slug"] for p in response.body["items"]]


def test_q_finds_title_words_whatever_case_and_accents_skus_by_their_start_and_the_slug(
    cloud: Cloud, store: str
) -> None:
    create(cloud, store)  # Brass Desk Lamp, LAMP-S and LAMP-L
    create(cloud, store, product("Crème Brûlée Dish", "DISH-9", "kitchen"))
    create(cloud, store, product("Oak Stool", "STOOL-1", "furniture"))

    assert found(cloud, store, q="creme brul") == ["creme-brulee-dish"]
    assert found(cloud, store, q="DESK") == ["brass-desk-lamp"]
    assert found(cloud, store, q="lamp-l") == ["brass-desk-lamp"]
    assert found(cloud, store, q="stool-1") == ["oak-stool"]  # the SKU (the title has no word "1")
    assert found(cloud, store, q="oak-stool") == ["oak-stool"]
    assert found(cloud, store, q="chair") == []
    assert found(cloud, store, q="  ") == ["brass-desk-lamp", "creme-brulee-dish", "oak-stool"]


def test_q_combines_with_the_other_filters(cloud: Cloud, store: str) -> None:
    create(cloud, store, product("Blue Vase", "VASE-1", status="published"))
    create(cloud, store, product("Blue Bowl", "BOWL-1", "kitchen"))
    deleted = create(cloud, store, product("Blue Lamp", "BLUE-L"))
    call(cloud, "DELETE /products/{product}", ALICE, store, product=deleted["slug"])

    assert found(cloud, store, q="blue") == ["blue-bowl", "blue-vase"]
    assert found(cloud, store, q="blue", status="published") == ["blue-vase"]
    assert found(cloud, store, q="blue", category="kitchen") == ["blue-bowl"]
    assert found(cloud, store, q="blue", deleted="true") == ["blue-lamp"]


def test_paging_a_search_reaches_every_match_once_even_through_short_pages(
    cloud: Cloud, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = [f"{'Red' if n % 3 == 0 else 'Green'} Cup {n:02d}" for n in range(12)]
    for n, title in enumerate(titles):
        create(cloud, store, product(title, f"CUP-{n:02d}", "kitchen"))
    monkeypatch.setattr(repository, "SEARCH_READ_BATCH", 2)
    monkeypatch.setattr(repository, "SEARCH_READ_BUDGET", 4)

    pages: list[list[str]] = []
    query = {"q": "red", "limit": "2"}
    while True:
        response = call(cloud, "GET /products", ALICE, store, **query)
        assert response.status == 200, response.body
        pages.append([p["slug"] for p in response.body["items"]])
        if response.body["next_cursor"] is None:
            break
        query["cursor"] = response.body["next_cursor"]

    assert [s for page in pages for s in page] == ["red-cup-00", "red-cup-03", "red-cup-06", "red-cup-09"]
    assert any(len(page) < 2 for page in pages[:-1])  # a page cut short by the read budget still has a cursor
    assert all(len(page) <= 2 for page in pages)


def test_a_q_longer_than_100_characters_is_400_naming_q(cloud: Cloud, store: str) -> None:
    create(cloud, store)

    too_long = call(cloud, "GET /products", ALICE, store, q="x" * 101)

    assert too_long.status == 400
    assert [f["field"] for f in too_long.body["error"]["fields"]] == ["q"]
    assert found(cloud, store, q="x" * 100) == []


def test_a_non_member_cannot_search(cloud: Cloud, store: str) -> None:
    create(cloud, store, LAMP)

    assert call(cloud, "GET /products", BOB, store, q="lamp").status == 404
