"""The money path under a careless client and a crash, over real HTTP through the real saga: one cart makes one
order however many times it is checked out at once, and a functions process killed mid-checkout strands
neither a checkout nor its stock."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import pytest

from localcloud.run import wait_for
from localcloud.template import ROOT
from nozzly.kernel.adapters.dynamo import from_item
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.shop import ADDRESS, FINAL, guest_cart, open_store, progress, put_product, settled, variant

pytestmark = pytest.mark.e2e
RECOVERY_SCHEDULE = "CheckoutStepsRecoverStranded"
STALLED_AFTER_SECONDS = 60  # sales/services/checkout_recovery.py: younger checkouts are not swept yet


def start_checkout(cloud: LocalCloud, store: str, session: str, key: str) -> Response:
    body = {
        "session_id": session,
        "email": "sam@example.com",
        "shipping_address": ADDRESS,
        "shipping_method": "standard",
        "payment_method": "cash_on_delivery",
    }
    headers = {"content-type": "application/json", "idempotency-key": key}
    return http_request(f"{cloud.api_url}/stores/{store}/checkout", "POST", headers, json.dumps(body).encode())


def clicked(cloud: LocalCloud, store: str, session: str, key: str) -> Response | OSError:
    """A client's press of "Pay": a timeout or a 5xx is retried with the same key, as a careful client does."""
    for _ in range(4):
        try:
            answer = start_checkout(cloud, store, session, key)
        except OSError as exc:
            failure: Response | OSError = exc
            continue
        if answer.status < 500:
            return answer
        failure = answer
    return failure


def at_once(calls: list[Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = calls[i]()
        except OSError as exc:  # the process answering was killed
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def store_items(cloud: LocalCloud, store: str, prefix: str) -> list[dict[str, Any]]:
    response = cloud.client("dynamodb").query(
        TableName=cloud.names["OrdersTable"],
        KeyConditionExpression="pk = :s AND begins_with(sk, :p)",
        ExpressionAttributeValues={":s": {"S": store}, ":p": {"S": prefix}},
        ConsistentRead=True,
    )
    return [from_item(item) for item in response["Items"]]


def test_ten_concurrent_checkouts_of_one_cart_with_ten_keys_place_one_order(local_cloud: LocalCloud) -> None:
    store = f"claim-{uuid.uuid4().hex[:8]}"
    open_store(local_cloud, store, "Claim Shop", f"owner-{store}@example.com")
    slug = put_product(local_cloud, store, "lantern", stock=10)
    session = guest_cart(local_cloud, store, slug, quantity=2)

    answers = at_once([lambda i=i: clicked(local_cloud, store, session, f"click-{i:04d}") for i in range(10)])

    shown = [(a.status, a.body[:300]) if isinstance(a, Response) else a for a in answers]
    assert all(isinstance(a, Response) for a in answers), shown
    # A click retried after its first try timed out may come after the order was placed and the cart cleared.
    late = [a for a in answers if a.status == 400 and a.json()["error"]["fields"][0]["field"] == "cart"]
    told = [a for a in answers if a not in late]
    assert {a.status for a in told} <= {202, 409} and told, shown
    named = {a.json()["id"] if a.status == 202 else a.headers["location"].rsplit("/", 1)[-1] for a in told}
    assert len(named) == 1  # every click is told about the one checkout
    (checkout,) = named
    assert settled(local_cloud, store, checkout)["status"] == "placed"
    assert len(store_items(local_cloud, store, "ORDER#")) == 1
    assert variant(local_cloud, store, slug)["reserved"] == 2  # held once, for the one order


def _live_functions_process(cloud: LocalCloud) -> subprocess.Popen[bytes]:
    return next(p for p in reversed(cloud.processes) if p.poll() is None and "localcloud.gateway" in str(p.args))


def test_a_functions_process_killed_mid_checkout_strands_no_checkout_and_no_stock(local_cloud: LocalCloud) -> None:
    store = f"crash-{uuid.uuid4().hex[:8]}"
    open_store(local_cloud, store, "Crash Shop", f"owner-{store}@example.com")
    slug = put_product(local_cloud, store, "anvil", stock=50)
    sessions = [guest_cart(local_cloud, store, slug, quantity=1) for _ in range(8)]
    functions = _live_functions_process(local_cloud)

    def kill_soon() -> None:
        time.sleep(0.4)  # some requests are inside the Checkout function, some executions inside a step
        functions.kill()

    killer = threading.Thread(target=kill_soon)
    killer.start()
    at_once([lambda s=s: start_checkout(local_cloud, store, s, f"crash-{s[:12]}") for s in sessions])
    killer.join()
    functions.wait(timeout=15)
    replacement = subprocess.Popen([sys.executable, "-m", "localcloud.gateway"], cwd=ROOT, env=local_cloud.env)
    local_cloud.processes.append(replacement)  # the session fixture stops it, whatever happens next
    wait_for(f"{local_cloud.api_url}/_local/ping", replacement, timeout=60)

    # The saga's retries carry on what the replacement can; the sweep takes what nothing else will.
    time.sleep(STALLED_AFTER_SECONDS + 1)
    assert local_cloud.api(f"/_local/schedules/{RECOVERY_SCHEDULE}", "POST").status in (200, 202)

    stored = [c["checkout_id"] for c in store_items(local_cloud, store, "CHECKOUT#")]
    ends = {c: settled(local_cloud, store, c, FINAL)["status"] for c in stored}  # each within the timeout
    assert set(ends.values()) <= set(FINAL), ends
    placed_units = sum(1 for status in ends.values() if status == "placed")
    assert len(store_items(local_cloud, store, "ORDER#")) == placed_units
    assert variant(local_cloud, store, slug)["reserved"] == placed_units  # nothing held for a failed checkout
    assert all(progress(local_cloud, store, c)["status"] in FINAL for c in stored)
