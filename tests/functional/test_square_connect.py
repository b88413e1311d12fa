"""A store's own Square account through Square OAuth, via the Payouts function and the daily refresh: who may
ask for the authorize link, the one-use state, tokens kept in Secrets Manager only (never in the table or an
answer), disconnecting (revoked, forgotten) and the refresh of tokens that end soon."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from nozzly.payments.domain.square_oauth import SquareTokens
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims
from tests.functional.test_payouts import join

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = "/admin/stores/{store}/settings/payouts"
DAY = 86400


@dataclass
class FakeSquare:
    """Square's OAuth server: codes it issued, tokens it handed out, refreshed and revoked."""

    expires_in: int = 30 * DAY
    issued: int = 0
    refreshed: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)

    def authorize_url(self, state: str, redirect_uri: str) -> str:
        return f"https://squareup.test/oauth2/authorize?client_id=app&state={state}&redirect_uri={redirect_uri}"

    def _tokens(self, merchant: str) -> SquareTokens:
        self.issued += 1
        n = self.issued
        return SquareTokens(f"EAAA-access-{n}", f"EQAA-refresh-{n}", int(time.time()) + self.expires_in, merchant)

    def obtain(self, code: str, redirect_uri: str) -> SquareTokens:
        assert redirect_uri.endswith("/payouts/square/callback")
        return self._tokens(f"M-{code}")

    def refresh(self, refresh_token: str) -> SquareTokens:
        self.refreshed.append(refresh_token)
        return self._tokens("M-refreshed")

    def revoke(self, access_token: str) -> None:
        self.revoked.append(access_token)

    def main_location(self, access_token: str) -> str:
        return "L-MAIN"


@pytest.fixture
def square(monkeypatch: pytest.MonkeyPatch) -> FakeSquare:
    from nozzly.payments.adapters import providers

    fake = FakeSquare()
    monkeypatch.setattr(providers, "square_authorization", lambda settings: fake)
    return fake


@pytest.fixture
def shop(cloud: Cloud, square: FakeSquare) -> Cloud:
    seed_store(cloud)
    join(cloud, ALICE, "owner")
    join(cloud, BOB, "staff")
    return cloud


def admin(cloud: Cloud, method: str, suffix: str, sub: str | None, store: str = STORE) -> HttpResponse:
    event = api_event(f"{method} {BASE}{suffix}", path_parameters={"store": store}, claims=claims(sub) if sub else None)
    return cloud.http("Payouts", event)


def callback(cloud: Cloud, **query: str) -> HttpResponse:
    event = api_event("GET /payouts/square/callback")
    event["queryStringParameters"] = query
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    return cloud.http("Payouts", event)


def authorized_state(cloud: Cloud, store: str = STORE, sub: str = ALICE) -> str:
    answer = admin(cloud, "GET", "/square/authorize", sub, store)
    assert answer.status == 200, answer.body
    return str(parse_qs(urlparse(answer.body["url"]).query)["state"][0])


def secret(cloud: Cloud, store: str = STORE) -> dict[str, Any] | None:
    prefix = cloud.environments["Payouts"]["SQUARE_SECRETS_PREFIX"]
    client = cloud.client("secretsmanager")
    try:
        found: dict[str, Any] = json.loads(client.get_secret_value(SecretId=f"{prefix}{store}")["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        return None
    return found


def test_the_authorize_link_is_for_owners_and_admins_only(shop: Cloud) -> None:
    assert admin(shop, "GET", "/square/authorize", BOB).status == 403
    stranger = admin(shop, "GET", "/square/authorize", CAROL)
    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store"
    assert admin(shop, "DELETE", "/square", BOB).status == 403
    assert admin(shop, "DELETE", "/square", CAROL).status == 404


def test_the_callback_connects_the_store_with_tokens_in_secrets_manager_only(shop: Cloud) -> None:
    state = authorized_state(shop)

    connected = callback(shop, code="abc123", state=state)

    assert connected.status == 200, connected.body
    assert connected.body == {
        "store": STORE,
        "square": {
            "connected": True,
            "merchant_id": "M-abc123",
            "location_id": "L-MAIN",
            "token_expires_at": connected.body["square"]["token_expires_at"],
        },
    }
    kept = secret(shop)
    assert kept is not None and kept["access_token"] == "EAAA-access-1" and kept["refresh_token"] == "EQAA-refresh-1"
    shown = admin(shop, "GET", "", ALICE)
    assert shown.body["square"]["connected"] is True and shown.body["square"]["merchant_id"] == "M-abc123"
    everywhere = json.dumps(shop.all_items("StoresTable")) + json.dumps(shown.body) + json.dumps(connected.body)
    assert "EAAA-access" not in everywhere and "EQAA-refresh" not in everywhere


def test_a_state_is_good_once_and_a_forged_or_refused_one_connects_nothing(shop: Cloud, square: FakeSquare) -> None:
    state = authorized_state(shop)
    assert callback(shop, code="first", state=state).status == 200

    replayed = callback(shop, code="second", state=state)
    forged = callback(shop, code="third", state=f"{STORE}.{'x' * 43}")
    malformed = callback(shop, code="fourth", state="nonsense")
    denied = callback(shop, error="access_denied", state=authorized_state(shop))

    for refused in (replayed, forged, malformed, denied):
        assert refused.status == 400, refused.body
    assert square.issued == 1
    assert admin(shop, "GET", "", ALICE).body["square"]["merchant_id"] == "M-first"


def test_disconnecting_revokes_the_token_and_forgets_it(shop: Cloud, square: FakeSquare) -> None:
    callback(shop, code="abc123", state=authorized_state(shop))

    gone = admin(shop, "DELETE", "/square", ALICE)
    again = admin(shop, "DELETE", "/square", ALICE)

    assert gone.status == 204, gone.body
    assert square.revoked == ["EAAA-access-1"]
    assert secret(shop) is None
    assert admin(shop, "GET", "", ALICE).body["square"] == {
        "connected": False,
        "merchant_id": None,
        "location_id": None,
        "token_expires_at": None,
    }
    assert again.status == 404


def test_the_daily_refresh_renews_only_tokens_that_end_within_a_week(shop: Cloud, square: FakeSquare) -> None:
    seed_store(shop, "ashgrove-armoury")
    join(shop, ALICE, "owner", "ashgrove-armoury")
    square.expires_in = 2 * DAY
    callback(shop, code="soon", state=authorized_state(shop))
    square.expires_in = 20 * DAY
    callback(shop, code="later", state=authorized_state(shop, "ashgrove-armoury"))

    report = shop.invoke("SquareTokenRefresh", {})

    assert report == {"refreshed": 1, "failed": 0}
    assert square.refreshed == ["EQAA-refresh-1"]
    renewed, untouched = secret(shop), secret(shop, "ashgrove-armoury")
    assert renewed is not None and renewed["access_token"] == "EAAA-access-3"
    assert untouched is not None and untouched["access_token"] == "EAAA-access-2"
    assert admin(shop, "GET", "", ALICE).body["square"]["token_expires_at"] == renewed["expires_at"]


@dataclass
class SquareSeen:
    """Square gateways as built (the platform's and a store's own): what each was asked, by (token, location)."""

    started: list[tuple[str, str | None, str]] = field(default_factory=list)
    voided: list[tuple[str, str | None, str]] = field(default_factory=list)


@pytest.fixture
def own_square(monkeypatch: pytest.MonkeyPatch) -> SquareSeen:
    from nozzly.kernel.domain.money import Money
    from nozzly.payments.adapters import square_gateway
    from nozzly.payments.domain.payments import Payment, PaymentRequest, PaymentStatus, Provider

    seen = SquareSeen()

    class StoreSquare:
        def __init__(self, access_token: str, base_url: str, location_id: str | None = None) -> None:
            self.who = (access_token, location_id)

        def start(self, request: PaymentRequest) -> Payment:
            seen.started.append((*self.who, request.checkout_id))
            return Payment(Provider.SQUARE, f"sq-{request.checkout_id}", PaymentStatus.PENDING, request.amount)

        def retrieve(self, payment_id: str) -> Payment:
            return Payment(Provider.SQUARE, payment_id, PaymentStatus.AUTHORIZED, Money(1, "EUR"))

        def cancel(self, payment_id: str) -> Payment:
            seen.voided.append((*self.who, payment_id))
            return Payment(Provider.SQUARE, payment_id, PaymentStatus.CANCELED, Money(1, "EUR"))

    monkeypatch.setattr(square_gateway, "SquareGateway", StoreSquare)
    return seen


def test_a_connected_stores_square_payment_uses_its_own_token_and_location(shop: Cloud, own_square: SquareSeen) -> None:
    from tests.functional.test_carts import guest_cart
    from tests.functional.test_checkout import check_out, step

    callback(shop, code="abc123", state=authorized_state(shop))
    cart = guest_cart(shop)
    cart.add()
    started = check_out(cart, "key-own-square", payment_method="square_card", source_token="cnon:card-nonce-ok")
    assert started.status == 202, started.body
    checkout = started.body["id"]

    step(shop, "start_payment", checkout, task_token="token-1", reserved=step(shop, "reserve", checkout))
    step(shop, "abandon", checkout, error={"Error": "States.Timeout", "Cause": ""})

    # The store's own token and location, never the platform's (EAAAnozzlyLocalSandboxToken, LNOZZLYLOCAL01).
    assert own_square.started == [("EAAA-access-1", "L-MAIN", checkout)]
    assert own_square.voided == [("EAAA-access-1", "L-MAIN", f"sq-{checkout}")]
