"""Staff management: invitations by email with a role, accepting them, role changes and removal."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.functional.auth_helpers import AuthApi, api_event, outbox, token_claims
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.store_helpers import admin, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
PASSWORD = "Correct-Horse-9"
OPEN = {"name": "Lantern & Loom", "niche": "home", "description": "", "currency": "EUR", "country": "DE"}


@dataclass(frozen=True)
class Operator:
    email: str
    token: str

    @property
    def sub(self) -> str:
        return token_claims(self.token)["sub"]


def staff_api(
    cloud: Cloud, route_key: str, who: Operator | None, params: dict[str, str], body: Any = None
) -> HttpResponse:
    claims = token_claims(who.token) if who else None
    return cloud.http("StoreStaff", api_event(route_key, path_parameters=params, body=body, claims=claims))


def register(cloud: Cloud, email: str) -> Operator:
    return Operator(email, AuthApi(cloud).registered(email, PASSWORD)["access_token"])


def invitation_code(to: str) -> str:
    found = re.findall(
        r"invitation code: ([a-z0-9-]+\.[0-9a-f]+\.[A-Za-z0-9_-]+)", outbox(to)[-1].body, flags=re.IGNORECASE
    )
    assert found, outbox(to)[-1].body
    return str(found[0])


def accept(cloud: Cloud, token: str, password: str = PASSWORD) -> HttpResponse:
    event = api_event("POST /auth/invitations/accept", body={"token": token, "password": password})
    return cloud.http("StoreStaff", event)


@dataclass(frozen=True)
class Shop:
    cloud: Cloud
    store: str
    owner: Operator

    def call(self, route_key: str, who: Operator | None, body: Any = None, **params: str) -> HttpResponse:
        return staff_api(self.cloud, route_key, who, {"store": self.store} | params, body)

    def invite(self, who: Operator, email: str, role: str) -> HttpResponse:
        return self.call("POST /admin/stores/{store}/invitations", who, {"email": email, "role": role})

    def join(self, email: str, role: str) -> Operator:
        """Invited by the owner, accepted with a new account: the new member."""
        assert self.invite(self.owner, email, role).status == 201
        accepted = accept(self.cloud, invitation_code(email))
        assert accepted.status == 200, accepted.body
        return Operator(email, accepted.body["access_token"])

    def team(self, who: Operator | None = None) -> dict[str, Any]:
        response = self.call("GET /admin/stores/{store}/staff", who or self.owner)
        assert response.status == 200, response.body
        body: dict[str, Any] = response.body
        return body

    def role_of(self, who: Operator) -> int | str:
        response = admin(self.cloud, "GET /admin/stores/{store}", who.sub, self.store)
        return response.body["role"] if response.status == 200 else response.status


@pytest.fixture
def shop(cloud: Cloud) -> Shop:
    owner = register(cloud, "owner@lantern.test")
    opened = admin(cloud, "POST /admin/stores", owner.sub, body=OPEN)
    assert opened.status == 202, opened.body
    provision(cloud, opened.body["id"])
    return Shop(cloud, opened.body["id"], owner)


def test_an_invitee_without_an_account_sets_a_password_and_joins_with_the_role(shop: Shop) -> None:
    invited = shop.invite(shop.owner, "Sam@Lantern.test", "staff")

    assert invited.status == 201, invited.body
    assert invited.body["email"] == "sam@lantern.test" and invited.body["role"] == "staff"
    assert [i["email"] for i in shop.team()["invitations"]] == ["sam@lantern.test"]
    email = outbox("sam@lantern.test")[-1]
    assert "Lantern & Loom" in email.subject and "as staff" in email.body
    # One click: the console's accept page with the code filled in.
    urls = shop.cloud.environments["StoreStaff"]["PLATFORM_URLS_PARAMETER"]  # the template's PlatformUrls
    console = json.loads(shop.cloud.client("ssm").get_parameter(Name=urls)["Parameter"]["Value"])["console_url"]
    link = f"{console}#/invitations/accept?{urlencode({'token': invitation_code('sam@lantern.test')})}"
    assert link in email.body

    accepted = accept(shop.cloud, invitation_code("sam@lantern.test"))

    assert accepted.status == 200, accepted.body
    assert accepted.body["store"] == {"id": shop.store, "name": "Lantern & Loom", "role": "staff"}
    sam = Operator("sam@lantern.test", accepted.body["access_token"])
    assert shop.role_of(sam) == "staff"
    # What an app may offer Sam: day-to-day work, no refunds, settings or revenue.
    granted = set(admin(shop.cloud, "GET /admin/stores/{store}", sam.sub, shop.store).body["permissions"])
    assert {"orders.manage", "catalog.write"} <= granted
    assert not granted & {"refunds.create", "settings.manage", "reports.read", "staff.manage"}
    owner = set(admin(shop.cloud, "GET /admin/stores/{store}", shop.owner.sub, shop.store).body["permissions"])
    assert {"refunds.create", "store.delete", "reports.read"} <= owner
    assert shop.team() == {
        "members": [
            {"id": shop.owner.sub, "email": "owner@lantern.test", "role": "owner"},
            {"id": sam.sub, "email": "sam@lantern.test", "role": "staff"},
        ],
        "invitations": [],
    }
    # The new account logs in like any other, with the password chosen on accepting.
    assert AuthApi(shop.cloud).login("sam@lantern.test", PASSWORD).status == 200


def test_an_invitation_works_once(shop: Shop) -> None:
    shop.join("sam@lantern.test", "staff")
    again = accept(shop.cloud, invitation_code("sam@lantern.test"))

    assert again.status == 400 and again.body["error"]["fields"][0]["field"] == "token"


def test_an_existing_operator_joins_with_their_own_password_and_a_wrong_one_changes_nothing(shop: Shop) -> None:
    other = register(shop.cloud, "kim@elsewhere.test")
    assert shop.invite(shop.owner, "kim@elsewhere.test", "admin").status == 201
    code = invitation_code("kim@elsewhere.test")

    wrong = accept(shop.cloud, code, "Not-Her-Password-1")
    assert wrong.status == 401, wrong.body
    assert shop.role_of(other) == 404

    right = accept(shop.cloud, code, PASSWORD)
    assert right.status == 200, right.body
    assert shop.role_of(other) == "admin"
    assert token_claims(right.body["access_token"])["sub"] == other.sub


def test_a_weak_password_creates_no_account_and_leaves_the_invitation_usable(shop: Shop) -> None:
    shop.invite(shop.owner, "sam@lantern.test", "staff")
    code = invitation_code("sam@lantern.test")

    weak = accept(shop.cloud, code, "short")

    assert weak.status == 400 and weak.body["error"]["fields"][0]["field"] == "password"
    assert AuthApi(shop.cloud).login("sam@lantern.test", "short").status == 401
    assert accept(shop.cloud, code).status == 200


@pytest.mark.parametrize(
    "token",
    ["nonsense", "lantern-loom.0123456789abcdef0123.xxxxxxxxxxxxxxxxxxxxxxxxxxx", ""],
)
def test_a_malformed_or_unknown_token_is_refused(shop: Shop, token: str) -> None:
    response = accept(shop.cloud, token)

    assert response.status == 400
    assert response.body["error"]["fields"][0]["field"] == "token"


def test_an_expired_invitation_is_refused(shop: Shop) -> None:
    shop.invite(shop.owner, "sam@lantern.test", "staff")
    item = next(i for i in shop.cloud.all_items("StoresTable") if i["sk"]["S"].startswith("INVITE#"))
    shop.cloud.client("dynamodb").update_item(
        TableName=shop.cloud.stores_table,
        Key={"pk": item["pk"], "sk": item["sk"]},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": "1000"}},
    )

    assert accept(shop.cloud, invitation_code("sam@lantern.test")).status == 400
    assert shop.team()["invitations"] == []


def test_inviting_again_replaces_the_earlier_code(shop: Shop) -> None:
    shop.invite(shop.owner, "sam@lantern.test", "staff")
    first = invitation_code("sam@lantern.test")
    shop.invite(shop.owner, "sam@lantern.test", "admin")

    assert accept(shop.cloud, first).status == 400
    assert accept(shop.cloud, invitation_code("sam@lantern.test")).body["store"]["role"] == "admin"


def test_a_revoked_invitation_cannot_be_accepted(shop: Shop) -> None:
    invitation = shop.invite(shop.owner, "sam@lantern.test", "staff").body["id"]

    revoked = shop.call("DELETE /admin/stores/{store}/invitations/{invitation}", shop.owner, invitation=invitation)

    assert revoked.status == 204
    assert accept(shop.cloud, invitation_code("sam@lantern.test")).status == 400
    missing = shop.call("DELETE /admin/stores/{store}/invitations/{invitation}", shop.owner, invitation=invitation)
    assert missing.status == 404 and missing.body["error"]["fields"][0]["field"] == "invitation"


def test_a_member_cannot_be_invited_again(shop: Shop) -> None:
    shop.join("sam@lantern.test", "staff")

    again = shop.invite(shop.owner, "sam@lantern.test", "admin")

    assert again.status == 409 and again.body["error"]["fields"][0]["field"] == "email"


def test_nobody_is_invited_as_owner(shop: Shop) -> None:
    response = shop.invite(shop.owner, "sam@lantern.test", "owner")

    assert response.status == 400 and response.body["error"]["fields"][0]["field"] == "role"
    assert outbox("sam@lantern.test") == []


def test_the_owner_promotes_and_demotes(shop: Shop) -> None:
    sam = shop.join("sam@lantern.test", "staff")

    promoted = shop.call("PATCH /admin/stores/{store}/staff/{member}", shop.owner, {"role": "admin"}, member=sam.sub)

    assert promoted.status == 200 and promoted.body == {"id": sam.sub, "email": "sam@lantern.test", "role": "admin"}
    assert shop.role_of(sam) == "admin"
    demoted = shop.call("PATCH /admin/stores/{store}/staff/{member}", shop.owner, {"role": "staff"}, member=sam.sub)
    assert demoted.status == 200 and shop.role_of(sam) == "staff"


def test_an_admin_manages_staff_but_not_admins_or_the_owner(shop: Shop) -> None:
    ada = shop.join("ada@lantern.test", "admin")
    other_admin = shop.join("max@lantern.test", "admin")
    sam = shop.join("sam@lantern.test", "staff")
    change = "PATCH /admin/stores/{store}/staff/{member}"

    assert shop.invite(ada, "new@lantern.test", "staff").status == 201
    assert shop.invite(ada, "boss@lantern.test", "admin").status == 403
    assert shop.call(change, ada, {"role": "admin"}, member=sam.sub).status == 403
    assert shop.call(change, ada, {"role": "staff"}, member=other_admin.sub).status == 403
    assert shop.call("DELETE /admin/stores/{store}/staff/{member}", ada, member=shop.owner.sub).status == 403
    assert shop.call("DELETE /admin/stores/{store}/staff/{member}", ada, member=other_admin.sub).status == 403
    assert shop.role_of(other_admin) == "admin" and shop.role_of(sam) == "staff"

    removed = shop.call("DELETE /admin/stores/{store}/staff/{member}", ada, member=sam.sub)

    assert removed.status == 204
    assert shop.role_of(sam) == 404  # their token is still valid; the store is gone for them at once
    assert [m["email"] for m in shop.team()["members"]] == [
        "owner@lantern.test",
        "ada@lantern.test",
        "max@lantern.test",
    ]


def test_nobody_changes_their_own_role(shop: Shop) -> None:
    ada = shop.join("ada@lantern.test", "admin")

    own = shop.call("PATCH /admin/stores/{store}/staff/{member}", ada, {"role": "staff"}, member=ada.sub)
    owner = shop.call("DELETE /admin/stores/{store}/staff/{member}", shop.owner, member=shop.owner.sub)

    assert own.status == 409 and owner.status == 409
    assert shop.role_of(ada) == "admin" and shop.role_of(shop.owner) == "owner"


def test_staff_cannot_see_or_manage_the_team(shop: Shop) -> None:
    sam = shop.join("sam@lantern.test", "staff")

    assert shop.call("GET /admin/stores/{store}/staff", sam).status == 403
    assert shop.invite(sam, "friend@lantern.test", "staff").status == 403
    assert outbox("friend@lantern.test") == []


@pytest.mark.parametrize(
    ("route", "body", "params"),
    [
        ("GET /admin/stores/{store}/staff", None, {}),
        ("POST /admin/stores/{store}/invitations", {"email": "x@y.test", "role": "staff"}, {}),
        ("PATCH /admin/stores/{store}/staff/{member}", {"role": "staff"}, {"member": "someone"}),
        ("DELETE /admin/stores/{store}/staff/{member}", None, {"member": "someone"}),
        ("DELETE /admin/stores/{store}/invitations/{invitation}", None, {"invitation": "someone"}),
    ],
)
def test_an_operator_of_another_store_learns_nothing(shop: Shop, route: str, body: Any, params: dict[str, str]) -> None:
    stranger = register(shop.cloud, "stranger@elsewhere.test")

    response = shop.call(route, stranger, body, **params)

    assert response.status == 404
    assert response.body["error"]["fields"][0]["field"] == "store"


def test_an_invitation_to_a_deleted_store_cannot_be_accepted(shop: Shop) -> None:
    shop.invite(shop.owner, "sam@lantern.test", "staff")
    assert admin(shop.cloud, "DELETE /admin/stores/{store}", shop.owner.sub, shop.store).status == 204

    assert accept(shop.cloud, invitation_code("sam@lantern.test")).status == 400
