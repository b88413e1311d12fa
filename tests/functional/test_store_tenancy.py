"""Tenant isolation and the permission matrix on the store administration routes; soft delete."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.stores.domain.permissions import permissions_of
from tests.functional.harness import Cloud, http_event, product_payload, product_step
from tests.functional.store_helpers import ALICE, BOB, CAROL, admin, open_store, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
STORE_ROUTES = [
    ("GET /admin/stores/{store}", None),
    ("PATCH /admin/stores/{store}", {"name": "Mine now"}),
    ("DELETE /admin/stores/{store}", None),
    ("GET /admin/stores/{store}/provisioning", None),
]


def _join(cloud: Cloud, store: str, sub: str, role: str) -> None:
    """A staff membership as staff management will write it (that issue is still to come)."""
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "x"}
    item |= {"gsi1pk": f"OPERATOR#{sub}", "gsi1sk": store}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


def test_my_stores_are_the_stores_i_belong_to_with_my_role(cloud: Cloud) -> None:
    mine = [open_store(cloud, ALICE), open_store(cloud, ALICE, name="Zebra Zone")]
    theirs = open_store(cloud, BOB, name="Bobs Bikes")
    _join(cloud, theirs, ALICE, "staff")

    listed = admin(cloud, "GET /admin/stores", ALICE)

    assert listed.status == 200
    assert listed.body["items"] == [
        {"id": "bobs-bikes", "name": "x", "role": "staff"},
        {"id": mine[0], "name": "Lantern & Loom", "role": "owner"},
        {"id": mine[1], "name": "Zebra Zone", "role": "owner"},
    ]
    assert admin(cloud, "GET /admin/stores", CAROL).body == {"items": []}


@pytest.mark.parametrize(("route", "body"), STORE_ROUTES)
def test_an_operator_of_another_store_gets_404(cloud: Cloud, route: str, body: Any) -> None:
    store = open_store(cloud, ALICE)
    open_store(cloud, BOB, name="Bobs Bikes")

    response = admin(cloud, route, BOB, store, body)

    assert response.status == 404, response.body
    assert response.body["error"]["fields"] == [{"field": "store", "message": f"store {store!r} not found"}]
    assert admin(cloud, "GET /admin/stores/{store}", ALICE, store).body["name"] == "Lantern & Loom"


def test_the_owner_reads_and_updates_the_store_but_not_its_currency(cloud: Cloud) -> None:
    store = open_store(cloud)
    provision(cloud, store)

    updated = admin(cloud, "PATCH /admin/stores/{store}", ALICE, store, {"name": "Lantern", "niche": "lamps"})
    refused = admin(cloud, "PATCH /admin/stores/{store}", ALICE, store, {"currency": "USD"})

    assert updated.status == 200, updated.body
    assert updated.body == {
        "id": store,
        "name": "Lantern",
        "niche": "lamps",
        "description": "Lamps.",
        "currency": "EUR",
        "country": "DE",
        "status": "READY",
        "role": "owner",
        "permissions": permissions_of("owner"),
    }
    assert admin(cloud, "GET /admin/stores/{store}", ALICE, store).body == updated.body
    assert admin(cloud, "GET /admin/stores", ALICE).body["items"][0]["name"] == "Lantern"
    assert refused.status == 400 and refused.body["error"]["fields"][0]["field"] == "currency"
    storefront = cloud.http(
        "StorefrontCatalog", http_event("storefront_get_store.json", path_parameters={"store": store})
    )
    assert storefront.body["name"] == "Lantern"


@pytest.mark.parametrize(
    ("role", "route", "status"),
    [
        ("staff", "GET /admin/stores/{store}", 200),
        ("staff", "PATCH /admin/stores/{store}", 403),
        ("staff", "DELETE /admin/stores/{store}", 403),
        ("admin", "PATCH /admin/stores/{store}", 200),
        ("admin", "DELETE /admin/stores/{store}", 403),
    ],
)
def test_members_may_do_what_their_role_allows(cloud: Cloud, role: str, route: str, status: int) -> None:
    store = open_store(cloud)
    _join(cloud, store, CAROL, role)

    response = admin(cloud, route, CAROL, store, {"name": "Renamed"} if route.startswith("PATCH") else None)

    assert response.status == status, response.body
    if status == 403:
        assert response.body["error"]["code"] == "forbidden"
        assert admin(cloud, "GET /admin/stores/{store}", ALICE, store).body["name"] == "Lantern & Loom"


def _storefront(cloud: Cloud, store: str) -> dict[str, int]:
    reads = {
        "store": http_event("storefront_get_store.json", path_parameters={"store": store}),
        "categories": http_event("storefront_list_categories.json", path_parameters={"store": store}),
        "products": http_event("storefront_list_products.json", path_parameters={"store": store}, query={}),
        "category": http_event(
            "storefront_list_products.json", path_parameters={"store": store}, query={"category": "kitchen"}
        ),
        "product": http_event("storefront_get_product.json", path_parameters={"store": store, "product": "brass-lamp"}),
    }
    return {name: cloud.http("StorefrontCatalog", event).status for name, event in reads.items()}


def test_soft_delete_hides_the_store_everywhere_in_one_transaction(cloud: Cloud) -> None:
    store = open_store(cloud)
    provision(cloud, store)
    lamp = product_payload("brass-lamp", "kitchen", 3, images=0, store=store)
    cloud.invoke("CatalogImport", product_step(lamp, store) | {"categories": ["kitchen"]})
    assert set(_storefront(cloud, store).values()) == {200}
    calls: list[str] = []
    from nozzly.kernel.adapters import aws

    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))

    assert admin(cloud, "DELETE /admin/stores/{store}", ALICE, store).status == 204

    assert [c for c in calls if c not in ("GetItem", "Query")] == ["TransactWriteItems"]
    assert _storefront(cloud, store) == dict.fromkeys(["store", "categories", "products", "category", "product"], 404)
    assert admin(cloud, "GET /admin/stores/{store}", ALICE, store).status == 404
    assert admin(cloud, "DELETE /admin/stores/{store}", ALICE, store).status == 404
    assert admin(cloud, "GET /admin/stores", ALICE).body == {"items": []}
    profile = cloud.item("StoresTable", store, "PROFILE")
    root = cloud.item("CatalogTable", store, "CATEGORY#")
    assert profile and root and profile["status"]["S"] == "deleted" and root["deleted"] == {"BOOL": True}
    assert cloud.item("CatalogTable", store, "PRODUCT#brass-lamp") is not None  # soft: the data stays


def test_a_store_still_provisioning_can_be_deleted_and_is_never_revived(cloud: Cloud) -> None:
    from tests.functional.store_helpers import step

    store = open_store(cloud)
    step(cloud, "seeding", store)

    assert admin(cloud, "DELETE /admin/stores/{store}", ALICE, store).status == 204

    with pytest.raises(Exception, match="changed"):
        step(cloud, "seed", store)
    step(cloud, "fail", store, {"Error": "SeedingFailed", "Cause": "{}"})
    profile = cloud.item("StoresTable", store, "PROFILE")
    assert profile and profile["status"]["S"] == "deleted"
    assert cloud.item("CatalogTable", store, "CATEGORY#") is None
