"""A shopper's own data through the ShopperAccount handler: profile, address book, guest sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
from nozzly.accounts.services.guest_sessions import GuestSessions, verify_guest_session
from nozzly.wiring import accounts
from tests.functional.auth_helpers import AuthApi, api_event, clear_of_window_end, open_store, token_claims
from tests.functional.harness import Cloud, HttpResponse

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

AMBER, BIRCH = "amber-forge", "birch-books"
HOME = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "de"}
WORK = {"name": "Sam at work", "line1": "Alexanderplatz 5", "city": "Berlin", "postal_code": "10178", "country": "DE"}


@dataclass
class Shopper:
    """One shopper's requests to ShopperAccount, with the claims the authorizer would pass on."""

    cloud: Cloud
    store: str
    claims: dict[str, str] | None

    def call(self, method: str, route: str, body: Any = None, *, store: str | None = None, **params: str) -> Any:
        path = {"store": store or self.store, **params}
        event = api_event(f"{method} /stores/{{store}}{route}", path_parameters=path, body=body, claims=self.claims)
        return self.cloud.http("ShopperAccount", event)

    def addresses(self) -> list[dict[str, Any]]:
        response = self.call("GET", "/me/addresses")
        assert response.status == 200, response.body
        found: list[dict[str, Any]] = response.body["addresses"]
        return found

    def add(self, address: dict[str, Any], **extra: Any) -> HttpResponse:
        response: HttpResponse = self.call("POST", "/me/addresses", address | extra)
        return response

    def default(self) -> str | None:
        return next((a["id"] for a in self.addresses() if a["is_default_shipping"]), None)


def shopper(cloud: Cloud, store: str, email: str) -> Shopper:
    tokens = AuthApi(cloud, store).registered(email, "walnut-42", name="Sam")
    return Shopper(cloud, store, token_claims(tokens["access_token"]))


@pytest.fixture
def stores(cloud: Cloud) -> Cloud:
    open_store(cloud, AMBER, "Amber Forge")
    open_store(cloud, BIRCH, "Birch & Books")
    return cloud


def test_profile_patch_changes_cognito_and_answers_like_me(stores: Cloud) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    response = sam.call("PATCH", "/me", {"name": "  Samantha ", "phone": "+49 30 123456"})
    assert response.status == 200, response.body
    assert response.body == {
        "id": sam.claims and sam.claims["sub"],
        "email": "sam@example.com",
        "name": "Samantha",
        "email_verified": True,
        "phone": "+4930123456",
        "store": AMBER,
    }
    assert AuthApi(stores, AMBER).me("", claims=sam.claims).body == response.body  # the same contract as GET /me
    pool = stores.environments["ShopperAccount"]["USER_POOL_ID"]
    user = stores.client("cognito-idp").admin_get_user(UserPoolId=pool, Username=f"{AMBER}#sam@example.com")
    assert {"Name": "phone_number", "Value": "+4930123456"} in user["UserAttributes"]


@pytest.mark.parametrize("body", [{}, {"name": "  "}, {"phone": "030 123456"}, {"phone": "+0123"}, {"name": 5}])
def test_profile_patch_refuses_invalid_bodies(stores: Cloud, body: dict[str, Any]) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    assert sam.call("PATCH", "/me", body).status == 400


def test_address_book_crud_and_default_rules(stores: Cloud) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    assert sam.addresses() == []
    home = sam.add(HOME)
    assert home.status == 201, home.body
    assert home.body["country"] == "DE" and home.body["is_default_shipping"] is True  # the first is the default
    work = sam.add(WORK)
    assert work.body["is_default_shipping"] is False
    assert [a["id"] for a in sam.addresses()] == [home.body["id"], work.body["id"]]

    third = sam.add(WORK | {"line1": "Torstrasse 9"}, default_shipping=True)
    assert sam.default() == third.body["id"]  # set in the same transaction as the write
    replaced = sam.call("PUT", "/me/addresses/{address}", HOME | {"city": "Potsdam"}, address=home.body["id"])
    assert replaced.status == 200 and replaced.body["city"] == "Potsdam"
    assert sam.default() == third.body["id"]  # a replace without default_shipping keeps the default
    sam.call("PUT", "/me/addresses/{address}", WORK | {"default_shipping": True}, address=work.body["id"])
    assert sam.default() == work.body["id"]

    assert sam.call("DELETE", "/me/addresses/{address}", address=work.body["id"]).status == 204
    assert sam.default() == home.body["id"]  # the default moved to the oldest remaining address
    assert sam.call("DELETE", "/me/addresses/{address}", address=work.body["id"]).status == 404
    assert sam.call("PUT", "/me/addresses/{address}", WORK, address=work.body["id"]).status == 404
    for address in (home, third):
        assert sam.call("DELETE", "/me/addresses/{address}", address=address.body["id"]).status == 204
    assert sam.addresses() == [] and sam.default() is None
    assert sam.add(WORK).body["is_default_shipping"] is True  # a fresh first address becomes the default
    keys = {i["pk"]["S"] for i in stores.all_items("CustomersTable")}
    assert keys == {f"{AMBER}#{sam.claims and sam.claims['sub']}"}  # every key begins with the store


def test_at_most_twenty_addresses(stores: Cloud) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    for n in range(20):
        assert sam.add(HOME | {"line1": f"Street {n}"}).status == 201
    assert sam.add(HOME).status == 400
    assert len(sam.addresses()) == 20


@pytest.mark.parametrize(
    "change",
    [{"country": "DEU"}, {"country": "1A"}, {"name": " "}, {"postal_code": "x" * 21}, {"phone": "12345"}],
)
def test_invalid_addresses_are_refused(stores: Cloud, change: dict[str, str]) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    assert sam.add(HOME | change).status == 400
    assert sam.call("POST", "/me/addresses", {"name": "no lines"}).status == 400
    assert sam.addresses() == []


def test_shoppers_never_reach_each_others_addresses(stores: Cloud) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    kim = shopper(stores, AMBER, "kim@example.com")
    home = sam.add(HOME).body["id"]
    assert kim.addresses() == []
    assert kim.call("PUT", "/me/addresses/{address}", WORK, address=home).status == 404
    assert kim.call("DELETE", "/me/addresses/{address}", address=home).status == 404
    assert [a["name"] for a in sam.addresses()] == ["Sam Shopper"]
    # A body cannot choose the partition: unknown fields are ignored.
    kim.add(WORK, pk=f"{AMBER}#{sam.claims and sam.claims['sub']}", sub="x")
    assert [a["name"] for a in sam.addresses()] == ["Sam Shopper"]


def test_a_shopper_of_another_store_and_strangers_are_refused(stores: Cloud) -> None:
    sam = shopper(stores, AMBER, "sam@example.com")
    sam.add(HOME)
    for response in (
        sam.call("GET", "/me/addresses", store=BIRCH),
        sam.call("POST", "/me/addresses", HOME, store=BIRCH),
        sam.call("POST", "/me/addresses", {}, store=BIRCH),  # refused before the body is judged
        sam.call("PUT", "/me/addresses/{address}", {}, store=BIRCH, address="abc"),
        sam.call("PATCH", "/me", {"name": "x"}, store=BIRCH),
        sam.call("DELETE", "/me/addresses/{address}", store=BIRCH, address="abc"),
        Shopper(stores, AMBER, None).call("GET", "/me/addresses"),
    ):
        assert response.status == 401
        assert response.body["error"]["code"] == "unauthorized"
    for store in ("no-such-store", "birch-books"):
        open_store(stores, BIRCH, "Birch & Books", status="deleted")
        assert sam.call("GET", "/me/addresses", store=store).status == 404
        assert sam.call("POST", "/sessions", store=store).status == 404


def test_guest_sessions_start_verify_and_expire(stores: Cloud) -> None:
    started = Shopper(stores, AMBER, None).call("POST", "/sessions")
    assert started.status == 201, started.body
    session_id, expires_at = started.body["session_id"], started.body["expires_at"]
    assert len(session_id) == 43
    item = stores.item("IdentityTable", f"GUEST#{AMBER}#{session_id}", "SESSION")
    assert item is not None and int(item["expires_at"]["N"]) == expires_at

    stores.apply_environment(stores.environments["ShopperAccount"])
    sessions = accounts.guest_sessions()
    assert verify_guest_session(AMBER, session_id, sessions=sessions)
    assert not verify_guest_session(BIRCH, session_id, sessions=sessions)  # a session belongs to its store
    assert not verify_guest_session(AMBER, session_id[:-1] + ("A" if session_id[-1] != "A" else "B"), sessions=sessions)
    assert not verify_guest_session(AMBER, "not a session", sessions=sessions)
    later = GuestSessions(GuestSessionStore(stores.names["IdentityTable"]), sessions.stores, sessions.throttle)
    assert not verify_guest_session(AMBER, session_id, sessions=_at(later, expires_at))  # expired item lingers
    assert verify_guest_session(AMBER, session_id, sessions=_at(later, expires_at - 1))


def _at(sessions: GuestSessions, now: float) -> GuestSessions:
    return GuestSessions(sessions.sessions, sessions.stores, sessions.throttle, clock=lambda: now)


def test_guest_sessions_are_throttled_per_ip(stores: Cloud) -> None:
    clear_of_window_end(3600)
    guest = Shopper(stores, AMBER, None)
    assert all(guest.call("POST", "/sessions").status == 201 for _ in range(30))
    refused = guest.call("POST", "/sessions")
    assert refused.status == 429 and int(refused.headers["retry-after"]) > 0
    other_ip = api_event("POST /stores/{store}/sessions", path_parameters={"store": AMBER}, source_ip="198.51.100.7")
    assert stores.http("ShopperAccount", other_ip).status == 201
