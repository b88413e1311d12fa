"""Over HTTP in the local cloud: a bus event reaches an integrator's receiver on loopback through the
dispatcher, the SQS queue (localcloud/queues.py) and the sender, retried until it is accepted."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook

from tests.e2e.conftest import LocalCloud, eventually
from tests.e2e.operators import call
from tests.e2e.test_coupons_and_cart_cleanup import owner_token
from tests.webhook_receiver import receiver

pytestmark = pytest.mark.e2e
STORE = "mystmereforge"
BASE = f"/admin/stores/{STORE}/webhooks"


def test_a_receiver_failing_three_times_gets_the_event_once_signed(local_cloud: LocalCloud) -> None:
    token = owner_token(local_cloud)
    with receiver([500, 502, 503]) as rx:
        created = call(local_cloud, "POST", BASE, token, {"url": rx.url, "event_types": ["order.paid"]})
        assert created.status == 201, created.body
        endpoint = created.json()
        detail = {"store_id": STORE, "order_id": "e2e-webhook", "amount": 4250, "currency": "EUR"}
        local_cloud.client("events").put_events(
            Entries=[
                {
                    "EventBusName": local_cloud.names["EventBus"],
                    "Source": "nozzly.payments",
                    "DetailType": "PaymentReceived",
                    "Detail": json.dumps(detail),
                }
            ]
        )
        eventually(rx.succeeded, bool, timeout=60)
        assert [r.status for r in rx.received] == [500, 502, 503, 200]
        winner = rx.succeeded()[0]
        assert len({r.headers["webhook-id"] for r in rx.received}) == 1
        document = Webhook(endpoint["secret"]).verify(winner.body, winner.headers)
        assert (document["type"], document["data"]["amount"]) == ("order.paid", 4250)
        forged = dict(winner.headers, **{"webhook-signature": "v1,AAAA"})
        with pytest.raises(Exception, match="signature"):
            Webhook(endpoint["secret"]).verify(winner.body, forged)
    log = call(local_cloud, "GET", f"{BASE}/{endpoint['endpoint_id']}/deliveries", token).json()["items"]
    assert [(d["status"], d["attempts"]) for d in log] == [("succeeded", 4)]
    call(local_cloud, "DELETE", f"{BASE}/{endpoint['endpoint_id']}", token)


def test_a_private_address_is_refused_at_creation(local_cloud: LocalCloud) -> None:
    token = owner_token(local_cloud)
    refused = call(local_cloud, "POST", BASE, token, {"url": "https://10.1.2.3/hooks", "event_types": ["order.paid"]})
    assert refused.status == 400
    assert "private" in refused.body.decode()
