"""Merchant payouts through the Payouts function: who may read and start onboarding, what onboarding stores,
account.updated webhooks making a store ready (once, never rolled back by an older event), card checkout
refused without a ready account, and the saga paying the store's account with the platform's fee."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
from nozzly.payments.domain.payments import PaymentRequest, Provider
from nozzly.payments.domain.payouts import ConnectedAccount, OnboardingLink
from tests.functional.auth_helpers import api_event
from tests.functional.harness import READY_ACCOUNT, STORE, Cloud, HttpResponse, seed_store
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims
from tests.functional.test_carts import guest_cart
from tests.functional.test_checkout import check_out, reserved, step
from tests.functional.test_checkout_compensation import Provider_
from tests.functional.test_payment_webhooks import signed_stripe, stripe_call

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = "/admin/stores/{store}/settings/payouts"
ONBOARDING = f"{BASE}/stripe/onboarding"
DANA = "dana-admin-sub"
URLS = {"return_url": "https://admin.example/payouts/done", "refresh_url": "https://admin.example/payouts/again"}


@dataclass
class FakeConnect:
    """Stripe Connect as the platform sees it: one account per store (Stripe's idempotency), fresh links."""

    created: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def create_account(self, store_id: str, country: str, email: str | None) -> ConnectedAccount:
        self.created.append(store_id)
        return ConnectedAccount(Provider.STRIPE, f"acct_{store_id.replace('-', '')}", updated_at=100)

    def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> OnboardingLink:
        self.links.append(account_id)
        return OnboardingLink(f"https://connect.stripe.test/setup/{account_id}/{len(self.links)}", 1_900_000_000)


@pytest.fixture
def connect(monkeypatch: pytest.MonkeyPatch) -> FakeConnect:
    from nozzly.payments.adapters import providers

    fake = FakeConnect()
    monkeypatch.setattr(providers, "connect_accounts", lambda settings: fake)
    return fake


def join(cloud: Cloud, sub: str, role: str, store: str = STORE) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "x"}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


def accounts(cloud: Cloud) -> PayoutAccountsRepository:
    return PayoutAccountsRepository(cloud.names["StoresTable"], cloud.client("dynamodb"))


@pytest.fixture
def shop(cloud: Cloud, connect: FakeConnect) -> Cloud:
    """The seed store with no payout account yet; ALICE owns it, DANA is an admin, BOB staff, CAROL a stranger."""
    seed_store(cloud)
    cloud.client("dynamodb").delete_item(
        TableName=cloud.stores_table, Key={"pk": {"S": STORE}, "sk": {"S": "PAYOUTS#stripe"}}
    )
    join(cloud, ALICE, "owner")
    join(cloud, DANA, "admin")
    join(cloud, BOB, "staff")
    return cloud


def call(cloud: Cloud, method: str, route: str, sub: str | None, body: Any = None) -> HttpResponse:
    event = api_event(
        f"{method} {route}", path_parameters={"store": STORE}, body=body, claims=claims(sub) if sub else None
    )
    return cloud.http("Payouts", event)


@pytest.mark.parametrize(("method", "route", "body"), [("GET", BASE, None), ("POST", ONBOARDING, URLS)])
def test_owner_and_admin_may_staff_is_403_a_stranger_404_and_no_token_401(
    shop: Cloud, method: str, route: str, body: Any
) -> None:
    assert call(shop, method, route, ALICE, body).status == 200
    assert call(shop, method, route, DANA, body).status == 200
    staff, stranger = call(shop, method, route, BOB, body), call(shop, method, route, CAROL, body)
    assert staff.status == 403, staff.body
    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store", stranger.body
    assert call(shop, method, route, None, body).status == 401


def test_a_store_without_an_account_says_card_payments_wait_for_onboarding(shop: Cloud) -> None:
    answer = call(shop, "GET", BASE, ALICE).body

    assert answer["card_payments"]["ready"] is False
    assert "start Stripe onboarding" in answer["card_payments"]["reason"]
    assert answer["accounts"][0] | {"reason": "-"} == {
        "provider": "stripe",
        "state": "not_started",
        "account_id": None,
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
        "disabled_reason": None,
        "fee_basis_points": 250,  # the local stack's PlatformFeeBasisPoints
        "reason": "-",
    }


def test_onboarding_creates_one_account_per_store_and_answers_a_fresh_link_each_time(
    shop: Cloud, connect: FakeConnect
) -> None:
    first = call(shop, "POST", ONBOARDING, ALICE, URLS)
    second = call(shop, "POST", ONBOARDING, DANA, URLS)

    assert first.status == second.status == 200, (first.body, second.body)
    assert connect.created == [STORE]  # the second call reuses the stored account
    assert first.body["account"]["account_id"] == second.body["account"]["account_id"] == "acct_mystmereforge"
    assert first.body["url"] != second.body["url"] and first.body["url"].startswith("https://connect.stripe.test/")
    shown = call(shop, "GET", BASE, ALICE)
    assert shown.body["accounts"][0]["state"] == "onboarding" and shown.body["card_payments"]["ready"] is False
    assert "secret" not in json.dumps(shown.body).lower() and "sk_" not in json.dumps(shown.body)


@pytest.mark.parametrize(
    "body",
    [{}, {"return_url": "javascript:alert(1)", "refresh_url": URLS["refresh_url"]}, URLS | {"account": "acct_x"}],
)
def test_a_bad_onboarding_body_is_400_and_creates_nothing(shop: Cloud, connect: FakeConnect, body: Any) -> None:
    response = call(shop, "POST", ONBOARDING, ALICE, body)

    assert response.status == 400, response.body
    assert connect.created == [] and accounts(shop).get(STORE) is None


def account_updated(event_id: str, created: int, **flags: Any) -> dict[str, Any]:
    obj = {"id": "acct_mystmereforge", "object": "account", "metadata": {"store_id": STORE}} | flags
    return {"id": event_id, "object": "event", "type": "account.updated", "created": created, "data": {"object": obj}}


def deliver(cloud: Cloud, event: dict[str, Any]) -> HttpResponse:
    return stripe_call(cloud, *signed_stripe(cloud, event))


def test_account_updated_makes_the_store_ready_once_and_an_older_event_changes_nothing(shop: Cloud) -> None:
    call(shop, "POST", ONBOARDING, ALICE, URLS)
    ready = account_updated("evt_ready", 2_000, charges_enabled=True, payouts_enabled=True, details_submitted=True)
    stale = account_updated("evt_stale", 1_000, charges_enabled=False, details_submitted=True)

    first, replay = deliver(shop, ready), deliver(shop, ready)
    late = deliver(shop, stale)  # Stripe does not promise order

    assert first.status == replay.status == late.status == 200
    assert first.body["outcome"] == replay.body["outcome"] == "updated"
    assert late.body["outcome"] == "ignored"
    answer = call(shop, "GET", BASE, ALICE).body
    assert answer["card_payments"]["ready"] is True and answer["accounts"][0]["state"] == "ready"


def test_account_updated_for_an_account_the_store_does_not_hold_is_ignored(shop: Cloud) -> None:
    call(shop, "POST", ONBOARDING, ALICE, URLS)
    other = account_updated("evt_other", 2_000, charges_enabled=True, payouts_enabled=True)
    other["data"]["object"]["id"] = "acct_someone_else"

    assert deliver(shop, other).body["outcome"] == "ignored"
    assert call(shop, "GET", BASE, ALICE).body["accounts"][0]["state"] == "onboarding"


def test_restricted_by_stripe_the_settings_say_why(shop: Cloud) -> None:
    call(shop, "POST", ONBOARDING, ALICE, URLS)
    deliver(
        shop,
        account_updated(
            "evt_restricted", 3_000, details_submitted=True, requirements={"disabled_reason": "requirements.past_due"}
        ),
    )

    answer = call(shop, "GET", BASE, ALICE).body

    assert answer["accounts"][0]["state"] == "restricted"
    assert answer["accounts"][0]["disabled_reason"] == "requirements.past_due"
    assert "requirements.past_due" in answer["card_payments"]["reason"]


@pytest.mark.parametrize("method", ["stripe_payment_intent", "stripe_checkout_session"])
def test_a_card_checkout_without_a_ready_account_is_409_before_anything_is_stored_or_held(
    shop: Cloud, method: str
) -> None:
    call(shop, "POST", ONBOARDING, ALICE, URLS)  # onboarding started, not finished
    cart = guest_cart(shop)
    cart.add(quantity=2)

    refused = check_out(cart, "key-no-payouts", payment_method=method, return_url="https://shop.example/thanks")

    assert refused.status == 409, refused.body
    assert refused.body["error"]["code"] == "payouts_not_ready"
    assert "onboarding is not finished" in refused.body["error"]["message"]
    assert set(reserved(shop).values()) == {0}
    assert not [i for i in shop.all_items("OrdersTable") if i["sk"]["S"].startswith("CHECKOUT#")]
    assert check_out(cart, "key-cash-instead").status == 202  # cash on delivery needs no account


@pytest.fixture
def seen(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> list[PaymentRequest]:
    """Every payment the saga asks Stripe to start (a card provider that records and leaves it pending)."""
    from nozzly.payments.adapters import providers

    fake, started = Provider_(), []

    def start(request: PaymentRequest) -> Any:
        started.append(request)
        return Provider_.start(fake, request)

    fake.start = start  # type: ignore[method-assign]
    monkeypatch.setattr(providers, "payment_gateways", lambda settings: {p: fake for p in Provider})
    return started


def half_up(amount: int, basis_points: int) -> int:
    return int((Decimal(amount) * basis_points / 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(("store_fee", "fee_bp"), [(None, 250), (1000, 1000), (0, 0)])
def test_the_saga_charges_for_the_stores_account_with_the_platforms_fee(
    cloud: Cloud, seen: list[PaymentRequest], store_fee: int | None, fee_bp: int
) -> None:
    seed_store(cloud)  # ready, onboarded as READY_ACCOUNT
    if store_fee is not None:
        accounts(cloud).set_fee(STORE, Provider.STRIPE, store_fee)
    cart = guest_cart(cloud)
    cart.add(quantity=1)
    started = check_out(cart, "key-destination", payment_method="stripe_payment_intent")
    assert started.status == 202, started.body
    checkout, total = started.body["id"], started.body["totals"]["total"]["amount"]

    step(cloud, "start_payment", checkout, task_token="token-1", reserved=step(cloud, "reserve", checkout))

    [request] = seen
    assert request.destination == READY_ACCOUNT and request.amount == Money(total, "EUR")
    expected = half_up(total, fee_bp)
    assert request.application_fee == (Money(expected, "EUR") if expected else None)
