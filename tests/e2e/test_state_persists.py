"""`make run` keeps what a developer made across a restart (localcloud/persistence.py): a local cloud of its own,
with state kept in a temporary folder, is stopped and started again. The shared session cloud keeps nothing."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localcloud import run
from localcloud.clients import aws_clients
from localcloud.intrinsics import Resolver
from localcloud.payments import config
from localcloud.persistence import SNAPSHOT, STATE_PATH
from localcloud.template import LOCAL_PARAMETERS, transformed
from tests.e2e.conftest import LOOPBACK, LocalCloud, free_loopback_ports, http_request
from tests.e2e.operators import PASSWORD, address_of, call
from tests.e2e.shop import FINAL, check_out, guest_cart, open_store, placed_order, put_product, ready_payouts, variant

pytestmark = pytest.mark.e2e
STORE = "kept-forge"
OWNER = "owner@kept-forge.test"
BUYER = "buyer@kept-forge.test"
WAITER = "waiter@kept-forge.test"  # whose card payment is awaited when the stack stops


class Restartable:
    """A local cloud of its own whose state lives in `folder`; `start` again after `stop` restores it."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        ports = free_loopback_ports(6)
        names = ("EMULATOR", "API", "STRIPE", "SQUARE", "WS", "BEDROCK")
        for name, port in zip(names, ports, strict=True):
            monkeypatch.setenv(f"NOZZLY_{name}_PORT", str(port))
        monkeypatch.setenv("NOZZLY_PERSIST", "1")
        monkeypatch.setenv("NOZZLY_STATE_DIR", str(folder))
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.ports = dict(zip(names, ports, strict=True))
        self.cloud: LocalCloud | None = None
        self.summary = ""

    def start(self) -> LocalCloud:
        # The WebSocket server and the Reddit peer run in this process's threads and outlive run.stop: each start
        # takes new ports (and none of the worker's session cloud, which is still running).
        websocket, reddit = free_loopback_ports(2)
        self.monkeypatch.setenv("NOZZLY_WS_PORT", str(websocket))
        self.monkeypatch.setenv("NOZZLY_REDDIT_PORT", str(reddit))
        processes, self.summary = run.start(seed=False)  # the demo seed is not needed to prove what is kept
        emulator_url = f"http://{LOOPBACK}:{self.ports['EMULATOR']}"
        self.cloud = LocalCloud(
            api_url=f"http://{LOOPBACK}:{self.ports['API']}",
            emulator_url=emulator_url,
            client=aws_clients(emulator_url),
            processes=processes,
            env=dict(os.environ),
            names=Resolver(transformed(parameters=LOCAL_PARAMETERS), dict(LOCAL_PARAMETERS)).names,
        )
        return self.cloud

    def stop(self) -> None:
        if self.cloud is not None:
            run.stop(self.cloud.processes)
            self.cloud = None


@pytest.fixture
def restartable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Restartable]:
    stack = Restartable(tmp_path / "state", monkeypatch)
    try:
        yield stack
    finally:
        stack.stop()


CONFIRMATION = re.compile(r"Your .+ order #\d+")  # not "Payment received for ...", nor "... is on its way"
RECEIPT = re.compile(r"Payment received for .+ order #\d+")


def _confirmations(cloud: LocalCloud, to: str = BUYER, subject: re.Pattern[str] = CONFIRMATION) -> list[str]:
    """The ids of the order confirmations (or, with RECEIPT, the payment receipts) the outbox holds for `to`."""
    messages = json.loads(cloud.api(f"/_local/outbox?to={to}").body)["messages"]
    return [m["id"] for m in messages if subject.fullmatch(m["subject"])]


def test_a_restart_keeps_a_cart_an_order_an_operators_product_and_login(restartable: Restartable) -> None:
    cloud = restartable.start()
    owner = open_store(cloud, STORE, "Kept Forge", OWNER, payouts=False)
    account = ready_payouts(cloud, STORE, owner)  # the store's Stripe account, at the local Stripe peer
    put_product(cloud, STORE, "kept-lantern", 10)
    drafted = call(
        cloud,
        "POST",
        f"/admin/stores/{STORE}/products",
        owner,
        {"title": "Kept Anvil", "category": "goods", "price": {"amount": 4200, "currency": "EUR"}},
    )
    assert drafted.status == 201, drafted.body
    anvil = drafted.json()["slug"]
    session = guest_cart(cloud, STORE, "kept-lantern", 2)
    order = placed_order(cloud, STORE, "kept-lantern", BUYER)
    mail = cloud.eventually(lambda: _confirmations(cloud), bool, 90)  # the order's confirmation, once
    assert mail
    put_product(cloud, STORE, "kept-kettle", 5)
    body = {"session_id": guest_cart(cloud, STORE, "kept-kettle", 2), "email": WAITER}
    body["payment_method"] = "stripe_payment_intent"
    waiting = check_out(cloud, STORE, body, until=("awaiting_payment", *FINAL))
    assert waiting["status"] == "awaiting_payment", waiting  # its execution waits for Stripe's webhook
    square_payment = _square_payment()
    plan = stripe_client().v1.products.create(params={"name": "Kept Plan"}).id  # at the Stripe Billing peer

    restartable.stop()
    assert (restartable.folder / SNAPSHOT).is_file()  # written as the emulator stopped
    cloud = restartable.start()

    assert "state restored" in restartable.summary
    state = json.loads(http_request(cloud.emulator_url + STATE_PATH).body)
    assert state["restored"] is True
    cart = call(cloud, "GET", f"/stores/{STORE}/carts/{session}").json()
    assert [(i["product"], i["quantity"]) for i in cart["items"]] == [("kept-lantern", 2)]
    assert call(cloud, "GET", f"/admin/stores/{STORE}/orders/{order}", owner).status == 200  # the old token too
    product = call(cloud, "GET", f"/admin/stores/{STORE}/products/{anvil}", owner)
    assert product.status == 200 and product.json()["title"] == "Kept Anvil", product.body
    stripe_account = http_request(
        f"{config.stripe_url()}/v1/accounts/{account}", headers={"authorization": f"Bearer {config.STRIPE_SECRET_KEY}"}
    )
    assert stripe_account.status == 200 and stripe_account.json()["charges_enabled"], stripe_account.body
    login = call(cloud, "POST", "/auth/login", body={"email": OWNER, "password": PASSWORD}, source=address_of(OWNER))
    assert login.status == 200, login.body
    # The restored stack still works: a write, a new order through the saga, and no stream record delivered twice.
    assert (
        call(
            cloud, "POST", f"/stores/{STORE}/carts/{session}/items", body={"product": "kept-lantern", "quantity": 1}
        ).status
        == 200
    )
    placed_order(cloud, STORE, "kept-lantern", "second@kept-forge.test")
    # Its confirmation comes through the same stream after the first order's record: by then a poller that had
    # forgotten its position would have delivered the first order again, and its shopper would have two emails.
    assert cloud.eventually(lambda: _confirmations(cloud, "second@kept-forge.test"), bool, 90)
    assert _confirmations(cloud) == mail
    _the_awaited_payment_places_its_order_once(cloud, restartable.summary, waiting)
    # The payment peers kept theirs: Square's payment and its idempotent answer, and Stripe Billing's product.
    assert _square_payment() == square_payment
    found = http_request(f"{config.square_url()}/v2/payments/{square_payment}", headers=SQUARE_AUTH)
    assert found.status == 200 and found.json()["payment"]["status"] == "COMPLETED", found.body
    assert stripe_client().v1.products.retrieve(plan).name == "Kept Plan"


def _the_awaited_payment_places_its_order_once(cloud: LocalCloud, summary: str, waiting: dict[str, Any]) -> None:
    """The checkout's execution, waiting for the payment when the stack stopped, was resumed: its payment step ran
    again, got the same PaymentIntent and parked a new token; the shopper pays now and the order is placed once."""
    assert "1 workflow execution(s) resumed" in summary, summary
    sfn = cloud.client("stepfunctions")
    [machine] = [
        m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"] if m["name"].endswith("-checkout")
    ]
    execution = f"{machine.replace(':stateMachine:', ':execution:')}:{waiting['id']}"

    def awaited() -> list[str]:
        events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
        return [e["type"] for e in events]

    # The resumed payment step has parked its token once its invocation answered (TaskSubmitted).
    kinds = cloud.eventually(awaited, lambda k: k.count("TaskSubmitted") == 2 and k[-1] == "TaskSubmitted", 60)
    assert kinds.count("TaskSubmitted") == 2 and kinds[-1] == "TaskSubmitted", kinds
    intent = waiting["payment"]["payment_id"]
    stripe = stripe_client()
    stripe.v1.payment_intents.confirm(intent, params={"payment_method": "pm_card_visa"})

    placed = cloud.eventually(
        lambda: call(cloud, "GET", f"/stores/{STORE}/checkouts/{waiting['id']}").json(),
        lambda p: p.get("status") in FINAL,
        60,
    )
    assert placed["status"] == "placed" and placed["payment"]["payment_id"] == intent, placed
    ended = cloud.eventually(lambda: sfn.describe_execution(executionArn=execution)["status"], "RUNNING".__ne__, 30)
    assert ended == "SUCCEEDED"  # the cart cleared and the order announced after it
    assert variant(cloud, STORE, "kept-kettle")["reserved"] == 2  # held once, across the restart
    paid = stripe.v1.payment_intents.retrieve(intent)  # the one intent, started again under its idempotency key
    assert (paid.status, paid.amount) == ("succeeded", waiting["totals"]["total"]["amount"])
    assert cloud.eventually(lambda: _confirmations(cloud, WAITER), bool, 90)
    assert cloud.eventually(lambda: _confirmations(cloud, WAITER, RECEIPT), bool, 90)
    time.sleep(1)
    assert len(_confirmations(cloud, WAITER)) == 1
    assert len(_confirmations(cloud, WAITER, RECEIPT)) == 1


SQUARE_AUTH = {"authorization": f"Bearer {config.SQUARE_ACCESS_TOKEN}", "content-type": "application/json"}


def _square_payment() -> str:
    """A card payment at the Square sandbox, under one idempotency key (a second call replays the first)."""
    body: dict[str, Any] = {"idempotency_key": "kept-1", "source_id": "cnon:card-nonce-ok"}
    body["amount_money"] = {"amount": 1500, "currency": "EUR"}
    paid = http_request(f"{config.square_url()}/v2/payments", "POST", SQUARE_AUTH, json.dumps(body).encode())
    assert paid.status == 200, paid.body
    return str(paid.json()["payment"]["id"])


def stripe_client() -> Any:
    import stripe

    return stripe.StripeClient(config.STRIPE_SECRET_KEY, base_addresses={"api": config.stripe_url()})


def test_the_shared_session_cloud_keeps_no_state(local_cloud: LocalCloud) -> None:
    state = json.loads(http_request(local_cloud.emulator_url + STATE_PATH).body)
    assert state == {"persisted": False, "restored": False, "folder": None}
