"""Plans and limits through the handlers: GET /plans, GET /billing, and the plan's limits enforced in the write
that creates a store or a product (with the whole template provisioned in moto)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.store_helpers import ALICE, OPEN, admin, claims, open_store, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
THIRD = OPEN | {"name": "Third"}
PRODUCT = {"title": "Brass Lamp", "category": "decor", "price": {"amount": 4900, "currency": "EUR"}}


def billing(cloud: Cloud, route: str, sub: str | None) -> HttpResponse:
    return cloud.http("Billing", api_event(route, claims=claims(sub) if sub else None))


def products(cloud: Cloud, method: str, store: str, body: Any = None, product: str | None = None) -> HttpResponse:
    route = "/admin/stores/{store}/products" + ("/{product}" if product else "")
    path = {"store": store} | ({"product": product} if product else {})
    event = api_event(f"{method} {route}", path_parameters=path, body=body, claims=claims(ALICE))
    return cloud.http("CatalogAdmin", event)


def on_plan(cloud: Cloud, sub: str, plan: str) -> None:
    """The account moves to another plan (what a subscription change will write)."""
    cloud.client("dynamodb").update_item(
        TableName=cloud.stores_table,
        Key={"pk": {"S": f"ACCOUNT#{sub}"}, "sk": {"S": "BILLING"}},
        UpdateExpression="SET #plan = :plan ADD version :one",
        ExpressionAttributeNames={"#plan": "plan"},
        ExpressionAttributeValues={":plan": {"S": plan}, ":one": {"N": "1"}},
    )


def counted_products(cloud: Cloud, store: str) -> int:
    item = cloud.client("dynamodb").get_item(
        TableName=cloud.stores_table, Key={"pk": {"S": store}, "sk": {"S": "USAGE"}}, ConsistentRead=True
    )["Item"]
    return int(item["products"]["N"])


def test_the_plans_are_public_with_prices_in_minor_units_limits_features_and_growths_trial(cloud: Cloud) -> None:
    response = billing(cloud, "GET /plans", None)

    assert response.status == 200, response.body
    plans = {p["code"]: p for p in response.body["items"]}
    assert list(plans) == ["starter", "growth", "pro"]
    assert plans["growth"]["prices"]["month"] == {"amount": 7900, "currency": "EUR", "display": "79.00"}
    assert plans["growth"]["trial_days"] == 14 and plans["starter"]["trial_days"] == 0
    assert plans["starter"]["limits"]["stores"] == 1 and plans["growth"]["limits"]["products_per_store"] == 5000
    assert plans["pro"]["features"] == {"custom_domain": True, "platform_fee_basis_points": 50}
    assert billing(cloud, "GET /billing", None).status == 401


def test_the_first_store_starts_a_growth_trial_and_billing_shows_usage_against_every_limit(cloud: Cloud) -> None:
    before = int(time.time())
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    assert products(cloud, "POST", store, PRODUCT).status == 201

    body = billing(cloud, "GET /billing", ALICE).body

    assert body["plan"]["code"] == "growth" and body["status"] == "trialing" and body["account"] == ALICE
    assert before + 14 * 86_400 <= body["trial_ends_at"] <= int(time.time()) + 14 * 86_400
    usage = {(u["limit"], u["store"]): (u["used"], u["maximum"]) for u in body["usage"]}
    assert usage[("stores", None)] == (1, 5)
    assert usage[("products_per_store", store)] == (1, 5000)
    assert usage[("staff_seats", store)] == (0, 10)
    assert usage[("ai_imports_per_month", None)] == (0, 50)  # counted per calendar month, none yet
    assert usage[("ai_tokens_per_month", None)] == (None, 2_000_000)  # not metered yet: said so, not a made-up 0
    assert {limit for limit, _ in usage} == {
        "stores",
        "products_per_store",
        "staff_seats",
        "ai_imports_per_month",
        "ai_tokens_per_month",
        "webhook_endpoints",
    }


def test_of_20_concurrent_creates_with_room_for_1_exactly_1_is_created_and_a_delete_frees_the_slot(
    cloud: Cloud,
) -> None:
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    on_plan(cloud, ALICE, "starter")  # 100 products per store
    for n in range(99):  # 99 products counted: written directly, as creating them through the API takes minutes
        cloud.client("dynamodb").put_item(
            TableName=cloud.stores_table,
            Item={"pk": {"S": store}, "sk": {"S": "USAGE"}, "products": {"N": str(n + 1)}},
        )
    products(cloud, "GET", store)  # the handler's dependencies exist before the threads start
    results: list[HttpResponse] = []
    start = threading.Barrier(20)

    def race(n: int) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # Mangum runs the app on the thread's loop
        start.wait()
        results.append(products(cloud, "POST", store, PRODUCT | {"title": f"Racer {n}"}))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(r.status for r in results) == [201] + [402] * 19
    listed = products(cloud, "GET", store).body["items"]
    assert len(listed) == 1 and counted_products(cloud, store) == 100
    refused = next(r for r in results if r.status == 402).body["error"]
    assert refused["code"] == "plan_limit_reached"
    assert refused["plan_limit"] == {
        "limit": "products_per_store",
        "usage": 100,
        "maximum": 100,
        "plan": "starter",
        "upgrade_to": "growth",
    }

    assert products(cloud, "DELETE", store, product=listed[0]["slug"]).status == 204
    assert counted_products(cloud, store) == 99
    assert products(cloud, "POST", store, PRODUCT | {"title": "After the delete"}).status == 201


def test_a_downgrade_below_usage_keeps_every_store_and_refuses_a_new_one_until_enough_are_deleted(
    cloud: Cloud,
) -> None:
    first, second = open_store(cloud, ALICE, name="First"), open_store(cloud, ALICE, name="Second")
    on_plan(cloud, ALICE, "starter")  # 1 store, 2 open

    refused = admin(cloud, "POST /admin/stores", ALICE, body=THIRD)
    assert refused.status == 402, refused.body
    assert refused.body["error"]["plan_limit"] == {
        "limit": "stores",
        "usage": 2,
        "maximum": 1,
        "plan": "starter",
        "upgrade_to": "growth",
    }
    assert [s["id"] for s in admin(cloud, "GET /admin/stores", ALICE).body["items"]] == [first, second]

    assert admin(cloud, "DELETE /admin/stores/{store}", ALICE, store=second).status == 204
    assert admin(cloud, "POST /admin/stores", ALICE, body=THIRD).status == 402
    assert admin(cloud, "DELETE /admin/stores/{store}", ALICE, store=first).status == 204
    assert admin(cloud, "POST /admin/stores", ALICE, body=THIRD).status == 202
    assert billing(cloud, "GET /billing", ALICE).body["usage"][0] == {
        "limit": "stores",
        "store": None,
        "used": 1,
        "maximum": 1,
    }


def webhooks(cloud: Cloud, method: str, store: str, body: Any = None, endpoint: str | None = None) -> HttpResponse:
    route = "/admin/stores/{store}/webhooks" + ("/{endpoint}" if endpoint else "")
    path = {"store": store} | ({"endpoint": endpoint} if endpoint else {})
    event = api_event(f"{method} {route}", path_parameters=path, body=body, claims=claims(ALICE))
    return cloud.http("WebhooksAdmin", event)


def test_a_starter_store_has_one_webhook_endpoint_and_deleting_it_frees_the_slot(cloud: Cloud) -> None:
    store = open_store(cloud, ALICE)
    on_plan(cloud, ALICE, "starter")
    hook = {"url": "http://127.0.0.1:9/hooks", "event_types": ["order.placed"]}
    first = webhooks(cloud, "POST", store, hook)
    assert first.status == 201, first.body

    refused = webhooks(cloud, "POST", store, hook)

    assert refused.status == 402, refused.body
    assert refused.body["error"]["plan_limit"] == {
        "limit": "webhook_endpoints",
        "usage": 1,
        "maximum": 1,
        "plan": "starter",
        "upgrade_to": "growth",
    }
    assert len(webhooks(cloud, "GET", store).body["items"]) == 1
    assert webhooks(cloud, "DELETE", store, endpoint=first.body["endpoint_id"]).status == 204
    assert (
        webhooks(cloud, "DELETE", store, endpoint=first.body["endpoint_id"]).status == 404
    )  # gives nothing back twice
    assert webhooks(cloud, "POST", store, hook).status == 201
    usage = billing(cloud, "GET /billing", ALICE).body["usage"]
    assert {"limit": "webhook_endpoints", "store": store, "used": 1, "maximum": 1} in usage


def test_a_store_with_products_from_before_billing_is_counted_from_its_real_products(cloud: Cloud) -> None:
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    for title in ("Old One", "Old Two"):
        assert products(cloud, "POST", store, PRODUCT | {"title": title}).status == 201
    # As a store opened or imported before billing: no counter at all.
    cloud.client("dynamodb").delete_item(TableName=cloud.stores_table, Key={"pk": {"S": store}, "sk": {"S": "USAGE"}})
    usage = billing(cloud, "GET /billing", ALICE).body["usage"]
    assert {"limit": "products_per_store", "store": store, "used": 2, "maximum": 5000} in usage

    assert products(cloud, "POST", store, PRODUCT | {"title": "New"}).status == 201

    assert counted_products(cloud, store) == 3


def test_a_trial_that_ran_out_refuses_new_products_with_402_and_reads_as_restricted(cloud: Cloud) -> None:
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    cloud.client("dynamodb").update_item(
        TableName=cloud.stores_table,
        Key={"pk": {"S": f"ACCOUNT#{ALICE}"}, "sk": {"S": "BILLING"}},
        UpdateExpression="SET trial_ends_at = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )

    refused = products(cloud, "POST", store, PRODUCT)

    assert refused.status == 402, refused.body
    assert refused.body["error"]["code"] == "account_restricted"  # the gate before every admin write
    assert billing(cloud, "GET /billing", ALICE).body["status"] == "restricted"
    assert products(cloud, "GET", store).body["items"] == []


def test_an_owner_whose_stores_predate_billing_starts_the_trial_with_every_store_counted(cloud: Cloud) -> None:
    open_store(cloud, ALICE, name="Before Billing")
    # As an owner from before billing: stores, no account.
    cloud.client("dynamodb").delete_item(
        TableName=cloud.stores_table, Key={"pk": {"S": f"ACCOUNT#{ALICE}"}, "sk": {"S": "BILLING"}}
    )
    legacy = billing(cloud, "GET /billing", ALICE).body
    assert legacy["status"] == "trialing" and legacy["trial_ends_at"] is None
    assert legacy["usage"][0] == {"limit": "stores", "store": None, "used": 1, "maximum": 5}

    open_store(cloud, ALICE, name="After Billing")

    started = billing(cloud, "GET /billing", ALICE).body
    assert started["trial_ends_at"] is not None
    assert started["usage"][0] == {"limit": "stores", "store": None, "used": 2, "maximum": 5}
