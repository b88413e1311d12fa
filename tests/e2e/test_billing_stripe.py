"""Stripe Billing with the real stripe SDK against the local Stripe peer: Checkout in subscription mode, the
Customer Portal, and the signed billing events the peer sends as the subscription lives (read back exactly as
the billing webhook reads them)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from localcloud.payments import config
from nozzly.billing.adapters.stripe_billing import StripeBilling
from nozzly.billing.domain.plans import Interval, PlanCode
from nozzly.billing.domain.subscriptions import BillingEvent, EventKind
from tests.e2e.conftest import free_loopback_ports
from tests.e2e.payment_peers import Peers, running_peers

pytestmark = pytest.mark.e2e
ACCOUNT = "sub-billing-e2e"
PATH = "/webhooks/stripe-billing"


@pytest.fixture(scope="module")
def peers() -> Iterator[Peers]:
    yield from running_peers(free_loopback_ports(3))


@pytest.fixture(scope="module")
def billing(peers: Peers) -> StripeBilling:
    return StripeBilling(
        config.STRIPE_SECRET_KEY, peers.stripe_url, webhook_secret=config.STRIPE_BILLING_WEBHOOK_SECRET
    )


def subscribe(
    billing: StripeBilling, customer: str, account: str, plan: PlanCode, interval: Interval
) -> tuple[str, str]:
    return billing.checkout(customer, account, (plan, interval), success_url="https://c/ok", cancel_url="https://c/no")


def control(peers: Peers, path: str) -> tuple[int, Any]:
    request = urllib.request.Request(f"{peers.stripe_url}/_nozzly/billing/{path}", data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def events(peers: Peers, billing: StripeBilling, count: int) -> list[BillingEvent]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [billing.parse(d.body, d.headers) for d in list(peers.receiver.deliveries) if d.path == PATH]
        if len(found) >= count:
            return [e for e in found if e is not None]
        time.sleep(0.1)
    raise AssertionError(f"{count} billing events expected, got {len(found)}")


def test_a_subscription_through_checkout_renewal_failure_and_cancellation_sends_signed_events(
    peers: Peers, billing: StripeBilling
) -> None:
    customer = billing.create_customer(ACCOUNT, "owner@billing.test")
    assert billing.create_customer(ACCOUNT, "owner@billing.test") == customer  # one customer per account
    declined_id, _ = subscribe(billing, customer, ACCOUNT, PlanCode.PRO, Interval.YEAR)
    assert control(peers, f"checkout/{declined_id}/complete?payment_method=pm_card_visa_chargeDeclined")[0] == 402
    session_id, url = subscribe(billing, customer, ACCOUNT, PlanCode.PRO, Interval.YEAR)
    assert url.startswith(peers.stripe_url) and session_id.startswith("cs_test_")

    status, session = control(peers, f"checkout/{session_id}/complete")
    assert status == 200 and session["status"] == "complete"
    created, paid = events(peers, billing, 2)
    assert (created.kind, created.account, created.plan) == (EventKind.SUBSCRIPTION_CREATED, ACCOUNT, PlanCode.PRO)
    assert paid.kind is EventKind.INVOICE_PAID and paid.period_end - paid.period_start == 365 * 86_400  # type: ignore[operator]

    subscription = session["subscription"]
    control(peers, f"subscriptions/{subscription}/renew?outcome=failed")
    control(peers, f"subscriptions/{subscription}/cancel")
    kinds = [e.kind for e in events(peers, billing, 5)[2:]]
    assert kinds == [EventKind.INVOICE_PAYMENT_FAILED, EventKind.SUBSCRIPTION_UPDATED, EventKind.SUBSCRIPTION_DELETED]
    assert billing.portal(customer, "https://c/billing").startswith(f"{peers.stripe_url}/_nozzly/billing/portal/")


def test_the_same_plan_and_interval_reuses_one_price(peers: Peers, billing: StripeBilling) -> None:
    customer = billing.create_customer("sub-prices", None)
    for _ in range(2):
        subscribe(billing, customer, "sub-prices", PlanCode.STARTER, Interval.MONTH)
    request = urllib.request.Request(
        f"{peers.stripe_url}/v1/prices?lookup_keys[0]=nozzly_starter_month",
        headers={"Authorization": f"Bearer {config.STRIPE_SECRET_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        prices = json.loads(answer.read())["data"]
    assert [(p["unit_amount"], p["currency"], p["recurring"]["interval"]) for p in prices] == [(2900, "eur", "month")]
