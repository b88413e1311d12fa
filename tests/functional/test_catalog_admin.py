"""Operators' catalog through the CatalogAdmin handler, with the whole template provisioned in moto."""

from __future__ import annotations

import asyncio
import threading
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims, open_store, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = "/admin/stores/{store}"
LAMP = {
    "title": "Brass Desk Lamp",
    "category": "decor",
    "price": {"amount": 4900, "currency": "EUR"},
    "cost": {"amount": 2100, "currency": "EUR"},
    "variants": [
        {"name": "Small", "sku": "LAMP-S", "options": {"size": "S"}, "stock_on_hand": 4},
        {
            "name": "Large",
            "sku": "LAMP-L",
            "options": {"size": "L"},
            "stock_on_hand": 2,
            "price": {"amount": 6900, "currency": "EUR"},
        },
    ],
}


def call(cloud: Cloud, route: str, sub: str | None, store: str, body: Any = None, **params: str) -> HttpResponse:
    """A CatalogAdmin or CatalogTaxonomy route (relative to the store); params fill the path, the rest is the
    query string."""
    path = {k: v for k, v in params.items() if f"{{{k}}}" in route} | {"store": store}
    query = {k: v for k, v in params.items() if k not in path}
    claimed = claims(sub) if sub else None
    event = api_event(route.replace(" ", f" {BASE}", 1), path_parameters=path, body=body, claims=claimed)
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = query
    taxonomy = route.split(" ", 1)[1].startswith(("/categories", "/brands"))
    return cloud.http("CatalogTaxonomy" if taxonomy else "CatalogAdmin", event)


def storefront(cloud: Cloud, store: str, slug: str) -> HttpResponse:
    event = api_event("GET /stores/{store}/products/{product}", path_parameters={"store": store, "product": slug})
    return cloud.http("StorefrontCatalog", event)


def join(cloud: Cloud, store: str, sub: str, role: str) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "x"}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


@pytest.fixture
def store(cloud: Cloud) -> str:
    """A provisioned 'home' store of ALICE's: starter categories furniture, kitchen, decor, garden."""
    opened = open_store(cloud, ALICE)
    provision(cloud, opened)
    return opened


def create(cloud: Cloud, store: str, body: dict[str, Any] | None = None, sub: str = ALICE) -> dict[str, Any]:
    response = call(cloud, "POST /products", sub, store, body or LAMP)
    assert response.status == 201, response.body
    created: dict[str, Any] = response.body
    return created


def test_a_created_product_has_its_variants_cost_and_path_and_shoppers_see_it_once_published(
    cloud: Cloud, store: str
) -> None:
    lamp = create(cloud, store)

    assert (lamp["slug"], lamp["status"], lamp["version"], lamp["category_path"]) == (
        "brass-desk-lamp",
        "draft",
        1,
        ["decor"],
    )
    assert lamp["cost"] == {"amount": 2100, "currency": "EUR", "display": "21.00"}
    assert [(v["id"], v["sku"], v["options"], v["stock_on_hand"]) for v in lamp["variants"]] == [
        ("small", "LAMP-S", {"size": "S"}, 4),
        ("large", "LAMP-L", {"size": "L"}, 2),
    ]
    assert call(cloud, "GET /products/{product}", ALICE, store, product="brass-desk-lamp").body == lamp
    assert storefront(cloud, store, "brass-desk-lamp").status == 404  # a draft

    published = call(cloud, "PATCH /products/{product}", ALICE, store, {"status": "published"}, product=lamp["slug"])

    assert published.status == 200 and published.body["version"] == 2
    shown = storefront(cloud, store, "brass-desk-lamp")
    assert shown.status == 200
    assert [v["price"]["amount"] for v in shown.body["variants"]] == [4900, 6900]
    assert "cost" not in shown.body


def test_same_titles_get_numbered_slugs_and_a_product_without_variants_gets_a_default_one(
    cloud: Cloud, store: str
) -> None:
    body = {"title": "Oak Stool", "category": "furniture", "price": {"amount": 3000, "currency": "EUR"}}
    first = create(cloud, store, body | {"stock_on_hand": 7})
    second = create(cloud, store, body | {"sku": "STOOL-2"})

    assert (first["slug"], second["slug"]) == ("oak-stool", "oak-stool-2")
    assert [(v["id"], v["name"], v["sku"], v["stock_on_hand"]) for v in first["variants"]] == [
        ("default", "Default", "OAK-STOOL", 7)
    ]


def test_a_sku_belongs_to_one_product_whatever_its_case(cloud: Cloud, store: str) -> None:
    create(cloud, store)
    clash = dict(LAMP, title="Other Lamp", variants=[{"name": "One", "sku": "lamp-s"}])

    response = call(cloud, "POST /products", ALICE, store, clash)

    assert response.status == 409
    assert response.body["error"]["fields"][0]["field"] == "sku"
    assert "brass-desk-lamp" in response.body["error"]["message"]
    listed = call(cloud, "GET /products", ALICE, store).body["items"]
    assert [p["slug"] for p in listed] == ["brass-desk-lamp"]


def test_of_two_products_created_at_once_with_one_sku_exactly_one_gets_it(cloud: Cloud, store: str) -> None:
    call(cloud, "GET /products", ALICE, store)  # the handler's dependencies exist before the threads start
    results: list[int] = []
    start = threading.Barrier(4)

    def race(n: int) -> None:
        body = dict(LAMP, title=f"Racer {n}", variants=[{"name": "One", "sku": "RACE-1"}])
        asyncio.set_event_loop(asyncio.new_event_loop())  # Mangum runs the app on the thread's loop
        start.wait()
        results.append(call(cloud, "POST /products", ALICE, store, body).status)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results) == [201, 409, 409, 409]
    owners = [i for i in cloud.all_items("CatalogTable") if i["sk"]["S"] == "SKU#RACE-1"]
    listed = call(cloud, "GET /products", ALICE, store).body["items"]
    assert [p["slug"] for p in listed] == [owners[0]["product"]["S"]]


def test_changing_a_variant_sku_frees_the_old_one(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store)

    changed = call(
        cloud,
        "PATCH /products/{product}/variants/{variant}",
        ALICE,
        store,
        {"sku": "LAMP-SMALL"},
        product=lamp["slug"],
        variant="small",
    )
    reuse = create(cloud, store, dict(LAMP, title="Other", variants=[{"name": "One", "sku": "LAMP-S"}]))

    assert changed.status == 200 and changed.body["variants"][0]["sku"] == "LAMP-SMALL"
    assert reuse["variants"][0]["sku"] == "LAMP-S"


def test_a_stale_version_is_refused_and_changes_nothing(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store)
    call(cloud, "PATCH /products/{product}", ALICE, store, {"title": "Lamp"}, product=lamp["slug"])

    stale = call(cloud, "PATCH /products/{product}", ALICE, store, {"title": "Old", "version": 1}, product=lamp["slug"])

    assert stale.status == 409 and stale.body["error"]["fields"][0]["field"] == "version"
    assert call(cloud, "GET /products/{product}", ALICE, store, product=lamp["slug"]).body["title"] == "Lamp"


def test_bad_input_is_refused_and_writes_nothing(cloud: Cloud, store: str) -> None:
    usd = {"amount": 100, "currency": "USD"}
    wrong_currency = dict(LAMP, price=usd, cost=usd, variants=[{"name": "One", "sku": "ONE"}])
    unknown_category = dict(LAMP, category="nope")
    duplicate_options = dict(LAMP, variants=[{"name": "A", "sku": "A1"}, {"name": "B", "sku": "B1"}])
    float_price = dict(LAMP, price={"amount": 49.5, "currency": "EUR"})

    answers = [
        call(cloud, "POST /products", ALICE, store, b)
        for b in (wrong_currency, unknown_category, duplicate_options, float_price)
    ]

    assert [(a.status, a.body["error"]["fields"][0]["field"]) for a in answers] == [
        (400, "price"),
        (404, "category"),
        (400, "options"),
        (400, "price.amount"),
    ]
    assert not [i for i in cloud.all_items("CatalogTable") if i["sk"]["S"].startswith(("PRODUCT#", "SKU#"))]


def test_soft_delete_hides_a_product_and_restore_brings_it_back_intact(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store, dict(LAMP, status="published"))

    deleted = call(cloud, "DELETE /products/{product}", ALICE, store, product=lamp["slug"])

    assert deleted.status == 204
    assert storefront(cloud, store, lamp["slug"]).status == 404
    assert call(cloud, "GET /products", ALICE, store).body["items"] == []
    trash = call(cloud, "GET /products", ALICE, store, deleted="true").body["items"]
    assert [p["slug"] for p in trash] == [lamp["slug"]]
    assert call(cloud, "PATCH /products/{product}", ALICE, store, {"title": "x"}, product=lamp["slug"]).status == 409

    restored = call(cloud, "POST /products/{product}/restore", ALICE, store, product=lamp["slug"])

    assert restored.status == 200
    assert {k: v for k, v in restored.body.items() if k != "version"} == {
        k: v for k, v in lamp.items() if k != "version"
    }
    assert storefront(cloud, store, lamp["slug"]).status == 200


def test_bulk_status_changes_all_or_none(cloud: Cloud, store: str) -> None:
    a = create(cloud, store)["slug"]
    b = create(cloud, store, dict(LAMP, title="Second", variants=[{"name": "One", "sku": "SECOND"}]))["slug"]

    refused = call(cloud, "POST /products/bulk-status", ALICE, store, {"products": [a, "ghost"], "status": "published"})
    done = call(cloud, "POST /products/bulk-status", ALICE, store, {"products": [a, b], "status": "published"})

    assert refused.status == 404 and refused.body["error"]["fields"][0]["field"] == "products"
    assert done.status == 200 and [p["status"] for p in done.body["items"]] == ["published", "published"]
    assert [storefront(cloud, store, s).status for s in (a, b)] == [200, 200]
    published = call(cloud, "GET /products", ALICE, store, status="published").body["items"]
    assert len(published) == 2


def test_stock_adjustments_are_recorded_and_never_take_stock_below_reserved(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store)
    route = "POST /products/{product}/variants/{variant}/stock-adjustments"
    ids = {"product": lamp["slug"], "variant": "small"}
    # Checkout holds 3 of the 4 small lamps.
    cloud.client("dynamodb").update_item(
        TableName=cloud.catalog_table,
        Key={"pk": {"S": store}, "sk": {"S": f"PRODUCT#{lamp['slug']}"}},
        UpdateExpression="SET variants[0].reserved = :r",
        ExpressionAttributeValues={":r": {"N": "3"}},
    )

    received = call(cloud, route, ALICE, store, {"delta": 10, "reason": "received", "note": "PO 17"}, **ids)
    too_many = call(cloud, route, BOB, store, {"delta": -12, "reason": "lost"}, **ids)
    join(cloud, store, BOB, "staff")
    staff_takes = call(cloud, route, BOB, store, {"delta": -11, "reason": "damaged"}, **ids)
    below = call(cloud, route, ALICE, store, {"delta": -1, "reason": "lost"}, **ids)

    assert received.status == 201, received.body
    assert received.body["variant"]["stock_on_hand"] == 14
    assert too_many.status == 404  # not a member yet
    assert staff_takes.status == 201 and staff_takes.body["variant"]["available"] == 0
    assert below.status == 409 and below.body["error"]["fields"][0]["field"] == "delta"
    ledger = call(cloud, "GET /products/{product}/variants/{variant}/stock-adjustments", ALICE, store, **ids).body
    assert [(e["delta"], e["reason"], e["on_hand_after"], e["by"]) for e in ledger["items"]] == [
        (-11, "damaged", 3, BOB),
        (10, "received", 14, ALICE),
    ]
    product = call(cloud, "GET /products/{product}", ALICE, store, product=lamp["slug"]).body
    assert (product["variants"][0]["stock_on_hand"], product["variants"][0]["reserved"]) == (3, 3)


def test_variants_are_added_changed_and_deleted_but_never_the_last_one(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store)
    ids = {"product": lamp["slug"]}

    added = call(
        cloud,
        "POST /products/{product}/variants",
        ALICE,
        store,
        {"name": "Medium", "sku": "LAMP-M", "options": {"size": "M"}},
        **ids,
    )
    same_options = call(
        cloud,
        "POST /products/{product}/variants",
        ALICE,
        store,
        {"name": "Medium 2", "sku": "LAMP-M2", "options": {"size": "M"}},
        **ids,
    )
    call(cloud, "DELETE /products/{product}/variants/{variant}", ALICE, store, variant="small", **ids)
    call(cloud, "DELETE /products/{product}/variants/{variant}", ALICE, store, variant="large", **ids)
    last = call(cloud, "DELETE /products/{product}/variants/{variant}", ALICE, store, variant="medium", **ids)

    assert added.status == 201 and [v["id"] for v in added.body["variants"]] == ["small", "large", "medium"]
    assert same_options.status == 400
    assert last.status == 409
    left = call(cloud, "GET /products/{product}", ALICE, store, **ids).body["variants"]
    assert [v["sku"] for v in left] == ["LAMP-M"]
    assert create(cloud, store, dict(LAMP, title="Reuse", variants=[{"name": "x", "sku": "LAMP-S"}]))


def test_categories_move_without_cycles_and_products_follow(cloud: Cloud, store: str) -> None:
    lights = call(cloud, "POST /categories", ALICE, store, {"name": "Lights", "parent": "decor"})
    lamp = create(cloud, store, dict(LAMP, category="lights", status="published"))

    cycle = call(cloud, "PATCH /categories/{category}", ALICE, store, {"parent": "lights"}, category="decor")
    moved = call(cloud, "PATCH /categories/{category}", ALICE, store, {"parent": "furniture"}, category="decor")

    assert lights.status == 201 and lights.body["slug"] == "lights"
    assert lamp["category_path"] == ["decor", "lights"]
    assert cycle.status == 409 and cycle.body["error"]["fields"][0]["field"] == "parent"
    assert moved.status == 200 and moved.body["parent"] == "furniture"
    after = call(cloud, "GET /products/{product}", ALICE, store, product=lamp["slug"]).body
    assert after["category_path"] == ["furniture", "decor", "lights"]
    in_furniture = call(cloud, "GET /products", ALICE, store, category="furniture").body["items"]
    assert [p["slug"] for p in in_furniture] == [lamp["slug"]]


def test_a_category_is_deleted_only_when_empty_and_comes_back_on_restore(cloud: Cloud, store: str) -> None:
    lamp = create(cloud, store)

    refused = call(cloud, "DELETE /categories/{category}", ALICE, store, category="decor")
    call(cloud, "PATCH /products/{product}", ALICE, store, {"category": "kitchen"}, product=lamp["slug"])
    deleted = call(cloud, "DELETE /categories/{category}", ALICE, store, category="decor")
    public = cloud.http(
        "StorefrontCatalog", api_event("GET /stores/{store}/categories", path_parameters={"store": store})
    )
    into_deleted = call(cloud, "PATCH /products/{product}", ALICE, store, {"category": "decor"}, product=lamp["slug"])
    trash = call(cloud, "GET /categories", ALICE, store, deleted="true").body["items"]
    restored = call(cloud, "POST /categories/{category}/restore", ALICE, store, category="decor")

    assert refused.status == 409
    assert deleted.status == 204
    assert "decor" not in [c["slug"] for c in public.body["items"]]
    assert into_deleted.status == 404 and into_deleted.body["error"]["fields"][0]["field"] == "category"
    assert [c["slug"] for c in trash] == ["decor"]
    assert restored.status == 200 and not restored.body["deleted"]
    live = [c["slug"] for c in call(cloud, "GET /categories", ALICE, store).body["items"]]
    assert "decor" in live


def test_brands_need_an_existing_logo_of_the_store_and_a_deleted_brand_cannot_be_chosen(
    cloud: Cloud, store: str
) -> None:
    logo = f"stores/{store}/brands/lumen.png"
    missing = call(cloud, "POST /brands", ALICE, store, {"name": "Lumen", "logo_key": logo})
    foreign = call(cloud, "POST /brands", ALICE, store, {"name": "Lumen", "logo_key": "stores/other/x.png"})
    cloud.stage_image(logo)
    created = call(cloud, "POST /brands", ALICE, store, {"name": "Lumen", "logo_key": logo})
    with_brand = create(cloud, store, dict(LAMP, brand="lumen"))
    call(cloud, "DELETE /brands/{brand}", ALICE, store, brand="lumen")
    refused = call(
        cloud,
        "POST /products",
        ALICE,
        store,
        dict(LAMP, title="Other", brand="lumen", variants=[{"name": "x", "sku": "OTHER"}]),
    )

    assert (missing.status, foreign.status) == (400, 400)
    assert created.status == 201 and created.body["slug"] == "lumen"
    assert with_brand["brand"] == "lumen"
    assert refused.status == 404 and refused.body["error"]["fields"][0]["field"] == "brand"
    assert call(cloud, "GET /brands", ALICE, store).body["items"] == []
    assert call(cloud, "POST /brands/{brand}/restore", ALICE, store, brand="lumen").body["deleted"] is False


@pytest.mark.parametrize(
    ("route", "body", "params"),
    [
        ("GET /products", None, {}),
        ("POST /products", LAMP, {}),
        ("GET /products/{product}", None, {"product": "brass-desk-lamp"}),
        ("DELETE /products/{product}", None, {"product": "brass-desk-lamp"}),
        ("POST /categories", {"name": "Mine"}, {}),
        ("GET /brands", None, {}),
    ],
)
def test_a_non_member_gets_404_naming_the_store_and_nothing_changes(
    cloud: Cloud, store: str, route: str, body: Any, params: dict[str, str]
) -> None:
    create(cloud, store)
    before = cloud.all_items("CatalogTable")

    response = call(cloud, route, CAROL, store, body, **params)

    assert response.status == 404, response.body
    assert response.body["error"]["fields"][0]["field"] == "store"
    assert cloud.all_items("CatalogTable") == before


def test_staff_may_write_the_catalog(cloud: Cloud, store: str) -> None:
    join(cloud, store, BOB, "staff")

    created = call(cloud, "POST /products", BOB, store, LAMP)
    category = call(cloud, "POST /categories", BOB, store, {"name": "Lights"})

    assert (created.status, category.status) == (201, 201)
