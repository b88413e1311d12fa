"""Operators' coupons through the Promotions handler, and what carts make of them, under moto."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = "/admin/stores/{store}/coupons"
DANA = "dana-sub"  # an admin
SUMMER = {
    "code": " summer-15 ",
    "kind": "percent",
    "value": 1500,
    "min_subtotal": 5000,
    "valid_from": "2026-06-01T00:00:00+02:00",
    "valid_until": "2099-09-01T00:00:00Z",
    "max_uses": 100,
    "max_uses_per_shopper": 1,
    "categories": ["blades"],
}


def call(cloud: Cloud, method: str, sub: str | None, body: Any = None, code: str | None = None) -> HttpResponse:
    route = f"{method} {BASE}" + ("/{code}" if code is not None else "")
    params = {"store": STORE} | ({"code": code} if code is not None else {})
    event = api_event(route, path_parameters=params, body=body, claims=claims(sub) if sub else None)
    return cloud.http("Promotions", event)


def join(cloud: Cloud, sub: str, role: str, store: str = STORE) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "x"}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    """The seed store (EUR) with ALICE its owner, DANA an admin and BOB staff; CAROL belongs to no store."""
    seed_store(cloud)
    join(cloud, ALICE, "owner")
    join(cloud, DANA, "admin")
    join(cloud, BOB, "staff")
    return cloud


def created(cloud: Cloud, body: dict[str, Any], sub: str = ALICE) -> dict[str, Any]:
    response = call(cloud, "POST", sub, body)
    assert response.status == 201, response.body
    found: dict[str, Any] = response.body
    return found


def test_an_admin_creates_a_coupon_in_the_stores_currency_and_reads_it_back(shop: Cloud) -> None:
    response = call(shop, "POST", DANA, SUMMER)

    assert response.status == 201, response.body
    assert response.headers["location"] == f"/admin/stores/{STORE}/coupons/SUMMER-15"
    coupon = response.body
    assert (coupon["code"], coupon["kind"], coupon["value"]) == ("SUMMER-15", "percent", 1500)
    assert coupon["amount_off"] is None
    assert coupon["min_subtotal"] == {"amount": 5000, "currency": "EUR", "display": "50.00"}
    assert coupon["valid_from"].startswith("2026-05-31T22:00:00")  # stored as an instant, answered in UTC
    assert (coupon["max_uses"], coupon["max_uses_per_shopper"], coupon["uses"]) == (100, 1, 0)
    assert (coupon["categories"], coupon["products"], coupon["active"]) == (["blades"], [], True)
    assert call(shop, "GET", ALICE, code="summer-15").body == coupon  # any case finds it


def test_a_fixed_coupon_shows_its_amount_and_the_list_has_every_coupon_by_code(shop: Cloud) -> None:
    created(shop, {"code": "FIVER", "kind": "fixed", "value": 500, "products": ["oaken-buckler"]})
    created(shop, SUMMER)

    listed = call(shop, "GET", ALICE)

    assert listed.status == 200, listed.body
    assert [c["code"] for c in listed.body["items"]] == ["FIVER", "SUMMER-15"]
    fiver = listed.body["items"][0]
    assert fiver["amount_off"] == {"amount": 500, "currency": "EUR", "display": "5.00"}
    assert fiver["products"] == ["oaken-buckler"] and fiver["max_uses"] is None


def test_an_existing_code_is_409_whatever_its_case_and_the_first_coupon_is_unchanged(shop: Cloud) -> None:
    first = created(shop, SUMMER)

    again = call(shop, "POST", ALICE, SUMMER | {"code": "Summer-15", "value": 9000})

    assert again.status == 409, again.body
    assert again.body["error"]["fields"][0]["field"] == "code"
    assert call(shop, "GET", ALICE, code="SUMMER-15").body == first


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "x"}, "code"),
        ({"code": "NO SPACES"}, "code"),
        ({"kind": "bogo"}, "kind"),
        ({"value": 0}, "value"),
        ({"value": 10_001}, "value"),  # more than 100 %
        ({"value": "1500"}, "value"),
        ({"min_subtotal": -1}, "min_subtotal"),
        ({"min_subtotal": 10**40}, "min_subtotal"),  # past the money maximum (DynamoDB would refuse it)
        ({"kind": "fixed", "value": 2**63}, "value"),
        ({"valid_until": "2026-05-01T00:00:00Z"}, "valid_until"),  # before valid_from
        ({"valid_from": "2026-06-01T00:00:00"}, "valid_from"),  # no time zone: which instant?
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses_per_shopper": 0}, "max_uses_per_shopper"),
        ({"products": ["no-such-product"]}, "products"),
        ({"products": ["tower-shield", "Not A Slug"]}, "products.1"),
        ({"categories": ["no-such-category"]}, "categories"),
        ({"uses": 5}, "uses"),  # the checkout counts uses
        ({"currency": "USD"}, "currency"),  # always the store's
    ],
)
def test_invalid_coupons_are_400_naming_the_field_and_nothing_is_stored(
    shop: Cloud, changes: dict[str, Any], field: str
) -> None:
    response = call(shop, "POST", ALICE, SUMMER | changes)

    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"] == field
    assert call(shop, "GET", ALICE).body["items"] == []


def test_a_change_touches_only_what_it_names_and_null_clears_a_limit(shop: Cloud) -> None:
    before = created(shop, SUMMER)

    response = call(shop, "PATCH", DANA, {"value": 2000, "max_uses": None, "active": False}, code="summer-15")

    assert response.status == 200, response.body
    after = response.body
    assert (after["value"], after["max_uses"], after["active"]) == (2000, None, False)
    unchanged = {k: v for k, v in after.items() if k not in ("value", "max_uses", "active")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("value", "max_uses", "active")}
    assert call(shop, "GET", ALICE, code="SUMMER-15").body == after


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": None}, "value"),  # only dates and limits can be cleared
        ({"kind": "fixed", "value": 999_999, "valid_from": None, "min_subtotal": -5}, "min_subtotal"),
        ({"valid_until": "2026-01-01T00:00:00Z"}, "valid_until"),  # before the stored valid_from
        ({"code": "OTHER"}, "code"),
        ({"uses": 0}, "uses"),
        ({"categories": ["blades", "no-such-category"]}, "categories"),
    ],
)
def test_a_bad_change_is_400_and_changes_nothing(shop: Cloud, body: dict[str, Any], field: str) -> None:
    before = created(shop, SUMMER)

    response = call(shop, "PATCH", ALICE, body, code="SUMMER-15")

    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"] == field
    assert call(shop, "GET", ALICE, code="SUMMER-15").body == before


def test_a_change_never_writes_the_use_counter_back(shop: Cloud) -> None:
    created(shop, SUMMER)
    read = call(shop, "GET", ALICE, code="SUMMER-15").body
    # Orders placed meanwhile count uses (the checkout's ADD uses :one).
    shop.client("dynamodb").update_item(
        TableName=shop.stores_table,
        Key={"pk": {"S": STORE}, "sk": {"S": "COUPON#SUMMER-15"}},
        UpdateExpression="ADD uses :three",
        ExpressionAttributeValues={":three": {"N": "3"}},
    )

    call(shop, "PATCH", ALICE, {"min_subtotal": 0}, code="SUMMER-15")

    assert read["uses"] == 0
    assert call(shop, "GET", ALICE, code="SUMMER-15").body["uses"] == 3


def test_a_restriction_on_a_product_deleted_since_does_not_block_other_changes(shop: Cloud) -> None:
    created(shop, SUMMER | {"products": ["frost-sabre"]})
    shop.client("dynamodb").update_item(  # soft deleted by an operator
        TableName=shop.names["CatalogTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": "PRODUCT#frost-sabre"}},
        UpdateExpression="SET deleted = :yes",
        ExpressionAttributeValues={":yes": {"BOOL": True}},
    )

    assert call(shop, "PATCH", ALICE, {"value": 1000}, code="SUMMER-15").status == 200
    readded = call(shop, "PATCH", ALICE, {"products": ["frost-sabre", "oaken-buckler"]}, code="SUMMER-15")
    assert readded.status == 200, readded.body  # frost-sabre was there already; oaken-buckler is live


def test_deleting_a_coupon_leaves_carts_holding_it_with_a_problem(shop: Cloud) -> None:
    created(shop, {"code": "FIVER", "kind": "fixed", "value": 500})
    session = shop.http("ShopperAccount", api_event("POST /stores/{store}/sessions", path_parameters={"store": STORE}))
    cart = {"store": STORE, "session": session.body["session_id"]}
    add = {"product": "oaken-buckler", "quantity": 1}
    shop.http("Carts", api_event("POST /stores/{store}/carts/{session}/items", path_parameters=cart, body=add))
    applied = shop.http(
        "Carts", api_event("PUT /stores/{store}/carts/{session}/coupon", path_parameters=cart, body={"code": "fiver"})
    )
    assert applied.status == 200 and applied.body["totals"]["discount"]["amount"] == 500, applied.body

    deleted = call(shop, "DELETE", ALICE, code="FIVER")

    assert deleted.status == 204
    shown = shop.http("Carts", api_event("GET /stores/{store}/carts/{session}", path_parameters=cart)).body
    assert shown["coupon"] == {"code": "FIVER", "problem": "this code no longer exists"}
    assert shown["totals"]["discount"]["amount"] == 0
    assert call(shop, "GET", ALICE, code="FIVER").status == 404
    again = call(shop, "DELETE", ALICE, code="FIVER")
    assert again.status == 404 and again.body["error"]["fields"][0]["field"] == "code"


@pytest.mark.parametrize(
    ("method", "code", "body"),
    [
        ("GET", None, None),
        ("POST", None, SUMMER),
        ("GET", "SUMMER-15", None),
        ("PATCH", "SUMMER-15", {"value": 1}),
        ("DELETE", "SUMMER-15", None),
    ],
)
def test_staff_gets_403_and_a_non_member_404_naming_the_store(
    shop: Cloud, method: str, code: str | None, body: Any
) -> None:
    created(shop, SUMMER)

    staff = call(shop, method, BOB, body, code)
    stranger = call(shop, method, CAROL, body, code)

    assert staff.status == 403, staff.body
    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store", stranger.body
    assert call(shop, "GET", ALICE, code="SUMMER-15").body["value"] == 1500


def test_a_coupon_of_one_store_is_not_reachable_through_another(shop: Cloud) -> None:
    created(shop, SUMMER)
    seed_store(shop, "ashgrove-armoury")
    join(shop, CAROL, "owner", "ashgrove-armoury")

    event = api_event(
        f"GET {BASE}/{{code}}",
        path_parameters={"store": "ashgrove-armoury", "code": "SUMMER-15"},
        claims=claims(CAROL),
    )
    response = shop.http("Promotions", event)

    assert response.status == 404 and response.body["error"]["fields"][0]["field"] == "code"


def test_no_token_is_401(shop: Cloud) -> None:
    assert call(shop, "GET", None).status == 401
