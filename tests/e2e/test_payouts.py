"""Merchant payouts end to end in the local cloud: a store onboarded at the local Stripe peer is paid through a
destination charge on its connected account, with the platform's fee, and its refund reverses the transfer (all
checked on the peer's own objects); a store without a connected account is refused card payment."""

from __future__ import annotations

import json
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import stripe

from localcloud.payments import config
from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.shop import FINAL, guest_cart, open_store, operator, put_product, settled

pytestmark = pytest.mark.e2e
PAID_OUT, NOT_ONBOARDED = "payout-forge", "unpaid-forge"
ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}


def _stripe() -> stripe.StripeClient:
    return stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": config.stripe_url()})


def start_checkout(cloud: LocalCloud, store: str, session: str, method: str, **more: str) -> tuple[int, Any]:
    body = {
        "session_id": session,
        "email": "sam@example.com",
        "shipping_address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": method,
    } | more
    headers = {"content-type": "application/json", "idempotency-key": f"key-{uuid.uuid4().hex}"}
    started = http_request(f"{cloud.api_url}/stores/{store}/checkout", "POST", headers, json.dumps(body).encode())
    return started.status, started.json()


def test_a_card_payment_goes_to_the_stores_connected_account_and_its_refund_reverses_the_transfer(
    local_cloud: LocalCloud,
) -> None:
    owner = open_store(local_cloud, PAID_OUT, "Payout Forge", f"owner@{PAID_OUT}.test")  # onboarded to ready
    payouts = operator(local_cloud, owner, "GET", f"/admin/stores/{PAID_OUT}/settings/payouts").json()
    account = payouts["accounts"][0]["account_id"]
    assert payouts["card_payments"]["ready"] is True and account.startswith("acct_")
    slug = put_product(local_cloud, PAID_OUT, "payout-anvil", 3, price=10000)

    status, started = start_checkout(
        local_cloud, PAID_OUT, guest_cart(local_cloud, PAID_OUT, slug), "stripe_payment_intent"
    )
    assert status == 202, started
    checkout, total = started["id"], started["totals"]["total"]["amount"]
    waiting = settled(local_cloud, PAID_OUT, checkout, ("awaiting_payment", *FINAL))
    intent_id = waiting["payment"]["payment_id"]
    intent = _stripe().v1.payment_intents.retrieve(intent_id).to_dict()
    assert intent["transfer_data"] == {"destination": account}
    fee = (Decimal(total) * Decimal("0.025")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert intent["application_fee_amount"] == int(fee)  # the local platform's 2.5 %
    _stripe().v1.payment_intents.confirm(intent_id, params={"payment_method": "pm_card_visa"})
    assert settled(local_cloud, PAID_OUT, checkout)["status"] == "placed"

    refunded = operator(
        local_cloud,
        owner,
        "POST",
        f"/admin/stores/{PAID_OUT}/orders/{checkout}/refunds",
        {"reason": "customer request"},
        key="payout-refund-0001",
    )

    assert refunded.status == 201, refunded.body
    made = _stripe().v1.refunds.retrieve(refunded.json()["refund"]["refund_id"]).to_dict()
    assert (made["payment_intent"], made["amount"]) == (intent_id, total)
    assert made["reverse_transfer"] is True and made["refund_application_fee"] is True
    assert str(made["transfer_reversal"]).startswith("trr_")


def test_a_store_without_a_connected_account_is_refused_card_payment_and_takes_cash(local_cloud: LocalCloud) -> None:
    owner = open_store(local_cloud, NOT_ONBOARDED, "Unpaid Forge", f"owner@{NOT_ONBOARDED}.test", payouts=False)
    slug = put_product(local_cloud, NOT_ONBOARDED, "unpaid-tongs", 3)
    session = guest_cart(local_cloud, NOT_ONBOARDED, slug)

    status, refused = start_checkout(local_cloud, NOT_ONBOARDED, session, "stripe_payment_intent")
    payouts = operator(local_cloud, owner, "GET", f"/admin/stores/{NOT_ONBOARDED}/settings/payouts").json()
    cash, placed = start_checkout(local_cloud, NOT_ONBOARDED, session, "cash_on_delivery")

    assert status == 409 and refused["error"]["code"] == "payouts_not_ready", refused
    assert payouts["card_payments"]["ready"] is False and payouts["accounts"][0]["state"] == "not_started"
    assert cash == 202, placed
    assert settled(local_cloud, NOT_ONBOARDED, placed["id"])["status"] == "placed"


def test_a_store_connects_its_own_square_account_through_oauth_and_disconnects_it(local_cloud: LocalCloud) -> None:
    owner = open_store(local_cloud, "square-forge", "Square Forge", "owner@square-forge.test", payouts=False)
    base = "/admin/stores/square-forge/settings/payouts"
    link = operator(local_cloud, owner, "GET", f"{base}/square/authorize").json()["url"]
    assert link.startswith(config.square_url() + "/oauth2/authorize?")

    # The seller's browser: Square's page (the local sandbox approves at once), then back to Nozzly's callback.
    consent = http_request(link, "GET", {}, None)
    assert consent.status == 302, consent.body
    connected = http_request(consent.headers["location"], "GET", {}, None)

    assert connected.status == 200, connected.body
    square = connected.json()["square"]
    assert square["connected"] is True and square["location_id"] == f"L{square['merchant_id']}"
    shown = operator(local_cloud, owner, "GET", base).json()["square"]
    assert shown == square and "EAAA" not in json.dumps(shown)
    secret = local_cloud.client("secretsmanager").get_secret_value(SecretId="nozzly/square/square-forge")
    assert json.loads(secret["SecretString"])["merchant_id"] == square["merchant_id"]

    # Its Square payments are taken with its own token, at its own location.
    slug = put_product(local_cloud, "square-forge", "square-lamp", 3)
    status, started = start_checkout(local_cloud, "square-forge", guest_cart(local_cloud, "square-forge", slug),
                                     "square_card", source_token="cnon:card-nonce-ok")  # fmt: skip
    assert status == 202, started
    placed = settled(local_cloud, "square-forge", started["id"])
    assert placed["status"] == "placed", placed
    headers = {"authorization": f"Bearer {config.SQUARE_ACCESS_TOKEN}"}
    payment = http_request(f"{config.square_url()}/v2/payments/{placed['payment']['payment_id']}", "GET", headers)
    assert payment.json()["payment"]["location_id"] == square["location_id"]

    gone = operator(local_cloud, owner, "DELETE", f"{base}/square")

    assert gone.status == 204, gone.body
    assert operator(local_cloud, owner, "GET", base).json()["square"]["connected"] is False
