"""Payment webhooks in the local cloud: the peers' own signed webhooks reach the functions and are recorded once.

The evidence is the function's own write: Powertools' idempotency record in IdempotencyTable, whose key is
"payment-event#" + md5 of the JSON key data [provider, event id] (Powertools' key scheme with our key_prefix).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import stripe

from localcloud.payments import config
from nozzly.kernel.domain.money import Money
from nozzly.payments.adapters.square_gateway import SquareGateway
from nozzly.payments.adapters.stripe_gateway import StripeGateway
from nozzly.payments.domain.payments import PaymentFlow, PaymentRequest
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.payment_samples import dumps, stripe_intent_event, stripe_signature

pytestmark = pytest.mark.e2e


def record(cloud: LocalCloud, provider: str, event_id: str) -> dict[str, Any] | None:
    digest = hashlib.md5(json.dumps([provider, event_id], sort_keys=True).encode()).hexdigest()
    found: dict[str, Any] | None = (
        cloud.client("dynamodb")
        .get_item(
            TableName=cloud.names["IdempotencyTable"], Key={"id": {"S": f"payment-event#{digest}"}}, ConsistentRead=True
        )
        .get("Item")
    )
    return found


def completed(item: dict[str, Any] | None) -> bool:
    return item is not None and item["status"]["S"] == "COMPLETED"


def test_a_payment_intent_confirmed_in_localstripe_reaches_the_webhook_verified_and_recorded(
    local_cloud: LocalCloud,
) -> None:
    gateway = StripeGateway(config.STRIPE_SECRET_KEY, config.stripe_url())
    checkout = f"chk_{uuid.uuid4().hex[:10]}"
    started = gateway.start(
        PaymentRequest(
            "mystmereforge", checkout, Money(4900, "EUR"), f"{checkout}-1", PaymentFlow.STRIPE_PAYMENT_INTENT
        )
    )
    client = stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": config.stripe_url()})
    client.v1.payment_intents.confirm(started.payment_id, params={"payment_method": "pm_card_visa"})

    def succeeded_event() -> str | None:
        events = client.v1.events.list(params={"type": "payment_intent.succeeded"}).to_dict()["data"]
        ids = [e["id"] for e in events if e["data"]["object"]["id"] == started.payment_id]
        return ids[0] if ids else None

    event_id = local_cloud.eventually(succeeded_event, lambda found: found is not None)
    assert event_id is not None
    item = local_cloud.eventually(lambda: record(local_cloud, "stripe", event_id), completed, timeout=20)
    assert completed(item), item  # localstripe signed it, the function verified it and processed it
    assert item is not None and json.loads(item["data"]["S"]) == "ignored"


def test_a_square_card_payment_sends_a_signed_payment_updated_that_the_function_verifies(
    local_cloud: LocalCloud,
) -> None:
    gateway = SquareGateway(config.SQUARE_ACCESS_TOKEN, config.square_url(), config.SQUARE_LOCATION_ID)
    checkout = f"chk_{uuid.uuid4().hex[:10]}"
    paid = gateway.start(
        PaymentRequest(
            "mystmereforge", checkout, Money(2500, "USD"), f"{checkout}-1", PaymentFlow.SQUARE_CARD,
            source_token="cnon:card-nonce-ok",
        )
    )  # fmt: skip

    def delivered() -> list[dict[str, Any]]:
        answer = http_request(f"{config.square_url()}/_nozzly/deliveries")
        return [d for d in answer.json() if d["status"] == 200]

    deliveries = local_cloud.eventually(delivered, bool, timeout=20)
    assert deliveries, "the sandbox's payment.updated never got a 200 from /webhooks/square"
    assert any(completed(record(local_cloud, "square", d["event_id"])) for d in deliveries), paid


def post_stripe(cloud: LocalCloud, body: str, signature: str) -> Response:
    headers = {"content-type": "application/json", "stripe-signature": signature}
    return http_request(cloud.api_url + "/webhooks/stripe", "POST", headers, body.encode())


def test_one_signed_event_delivered_5_times_concurrently_is_processed_once(local_cloud: LocalCloud) -> None:
    event_id = f"evt_e2e_{uuid.uuid4().hex[:12]}"
    body = dumps(stripe_intent_event(event_id=event_id))
    signature = stripe_signature(body, config.STRIPE_WEBHOOK_SECRET)
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: post_stripe(local_cloud, body, signature), range(5)))
    statuses = sorted(a.status for a in answers)
    assert statuses.count(200) >= 1 and set(statuses) <= {200, 409}, [(a.status, a.body[:200]) for a in answers]
    assert {a.json()["outcome"] for a in answers if a.status == 200} == {"ignored"}
    assert completed(record(local_cloud, "stripe", event_id))
    again = post_stripe(local_cloud, body, stripe_signature(body, config.STRIPE_WEBHOOK_SECRET))
    assert (again.status, again.json()["event_id"]) == (200, event_id)


def test_a_forged_stripe_webhook_is_refused_and_leaves_no_record(local_cloud: LocalCloud) -> None:
    event_id = f"evt_forged_{uuid.uuid4().hex[:12]}"
    body = dumps(stripe_intent_event(event_id=event_id))
    answer = post_stripe(local_cloud, body, stripe_signature(body, "whsec_not_nozzlys"))
    assert answer.status == 400 and answer.json()["error"]["fields"][0]["field"] == "signature"
    assert record(local_cloud, "stripe", event_id) is None
