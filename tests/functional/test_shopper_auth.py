"""Shopper accounts through the ShopperAuth handler: one realm per store, one Cognito user pool for all."""

from __future__ import annotations

import pytest

from tests.functional.auth_helpers import AuthApi, api_event, last_code, open_store, outbox
from tests.functional.harness import Cloud

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

ADDRESS = "shopper@example.com"
PASSWORD = "walnut-42"


@pytest.fixture
def stores(cloud: Cloud) -> tuple[AuthApi, AuthApi]:
    """Two open stores and their account APIs."""
    open_store(cloud, "amber-forge", "Amber Forge")
    open_store(cloud, "birch-books", "Birch & Books")
    return AuthApi(cloud, "amber-forge"), AuthApi(cloud, "birch-books")


def test_signup_confirm_login_me_refresh_logout(stores: tuple[AuthApi, AuthApi]) -> None:
    amber, _ = stores
    assert amber.signup(" Shopper@Example.com ", PASSWORD, name="Sam").status == 202
    [email] = outbox(ADDRESS)
    assert email.subject == "Your Amber Forge verification code"
    assert amber.login(ADDRESS, PASSWORD).status == 403

    assert amber.confirm(ADDRESS, last_code(ADDRESS)).status == 204
    tokens = amber.login(ADDRESS, PASSWORD).body
    assert tokens["token_type"] == "Bearer"

    me = amber.me(tokens["access_token"])
    assert me.status == 200
    assert me.body == {
        "id": me.body["id"],
        "email": ADDRESS,
        "name": "Sam",
        "email_verified": True,
        "phone": None,
        "store": "amber-forge",
    }
    refreshed = amber.refresh(tokens["refresh_token"])
    assert refreshed.status == 200
    assert amber.me(refreshed.body["access_token"]).body["id"] == me.body["id"]

    assert amber.logout(tokens["access_token"]).status == 204
    assert amber.refresh(tokens["refresh_token"]).status == 401


def test_one_email_holds_independent_accounts_in_two_stores(stores: tuple[AuthApi, AuthApi]) -> None:
    amber, birch = stores
    amber_tokens = amber.registered(ADDRESS, PASSWORD)
    birch_tokens = birch.registered(ADDRESS, "birch-tree-7")
    # A code, not a "you have one" notice, then the welcome once confirmed.
    assert [m.subject for m in outbox(ADDRESS)[-2:]] == [
        "Your Birch & Books verification code",
        "Welcome to Birch & Books",
    ]

    assert amber.login(ADDRESS, "birch-tree-7").status == 401
    assert birch.login(ADDRESS, PASSWORD).status == 401
    amber_me, birch_me = amber.me(amber_tokens["access_token"]), birch.me(birch_tokens["access_token"])
    assert (amber_me.body["store"], birch_me.body["store"]) == ("amber-forge", "birch-books")
    assert amber_me.body["id"] != birch_me.body["id"]

    # A token of one store is refused by the other, though the authorizer (same pool) lets it through.
    for response in (birch.me(amber_tokens["access_token"]), birch.logout(amber_tokens["access_token"])):
        assert response.status == 401
        assert response.body["error"]["code"] == "unauthorized"
    assert amber.refresh(amber_tokens["refresh_token"]).status == 200  # the refused logout revoked nothing


def test_unknown_and_deleted_stores_are_not_found(stores: tuple[AuthApi, AuthApi], cloud: Cloud) -> None:
    amber, _ = stores
    tokens = amber.registered(ADDRESS, PASSWORD)
    open_store(cloud, "amber-forge", "Amber Forge", status="deleted")
    for api in (amber, AuthApi(cloud, "no-such-store")):
        responses = [
            api.signup("new@example.com", PASSWORD),
            api.login(ADDRESS, PASSWORD),
            api.post("/auth/forgot-password", {"email": ADDRESS}),
            api.me(tokens["access_token"]),
        ]
        assert [r.status for r in responses] == [404] * 4
        assert {r.body["error"]["fields"][0]["field"] for r in responses} == {"store"}


def test_weak_password_by_the_shopper_policy_names_the_password(stores: tuple[AuthApi, AuthApi]) -> None:
    amber, _ = stores
    response = amber.signup(ADDRESS, "no-digits-here")
    assert response.status == 400
    [field] = response.body["error"]["fields"]
    assert field["field"] == "password"
    assert "8 characters" in field["message"]
    assert outbox() == []
    assert amber.signup(ADDRESS, "short-1A").status == 202  # 8 characters, a lowercase letter and a digit do


def test_bad_bodies_are_validation_errors(stores: tuple[AuthApi, AuthApi], cloud: Cloud) -> None:
    amber, _ = stores
    missing = amber.post("/auth/confirm", {"email": ADDRESS})
    assert missing.status == 400
    assert missing.body["error"]["code"] == "validation_error"
    assert [f["field"] for f in missing.body["error"]["fields"]] == ["code"]
    malformed_code = amber.confirm(ADDRESS, "12ab56")
    assert [f["field"] for f in malformed_code.body["error"]["fields"]] == ["code"]

    event = api_event(
        "POST /stores/{store}/auth/signup", path_parameters={"store": "amber-forge"}, raw_body="{not json"
    )
    broken = cloud.http("ShopperAuth", event)
    assert broken.status == 400
    assert broken.body["error"]["code"] == "invalid_body"  # not JSON: the body as a whole


def test_throttling_counts_each_store_account_apart(stores: tuple[AuthApi, AuthApi]) -> None:
    amber, birch = stores
    amber.fresh_window(15 * 60)
    assert [amber.login(ADDRESS, "wrong-123", ip=f"198.51.100.{n}").status for n in range(5)] == [401] * 5
    assert amber.login(ADDRESS, "wrong-123", ip="198.51.100.9").status == 429
    assert birch.login(ADDRESS, "wrong-123", ip="198.51.100.9").status == 401  # another store's account


def test_a_confirmed_shopper_becomes_the_stores_customer_on_the_bus(
    stores: tuple[AuthApi, AuthApi], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nozzly.kernel.adapters.events import EventPublisher

    published: list[tuple[str, str, dict[str, object]]] = []
    monkeypatch.setattr(EventPublisher, "publish", lambda _self, *event: published.append(event))
    amber, _ = stores
    assert amber.signup(ADDRESS, PASSWORD, name="Sam").status == 202
    assert published == []  # not a customer until the address is confirmed

    assert amber.confirm(ADDRESS, last_code(ADDRESS)).status == 204
    tokens = amber.login(ADDRESS, PASSWORD).body
    [(source, kind, detail)] = published
    assert (source, kind) == ("customers", "CustomerCreated")
    assert (detail["store_id"], detail["email"]) == ("amber-forge", ADDRESS)
    assert detail["customer_id"] == amber.me(tokens["access_token"]).body["id"]
