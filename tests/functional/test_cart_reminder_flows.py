"""Abandoned-cart reminders follow the store's email flows, changed through the EmailFlows route: a stage turned
off sends nothing, a changed delay moves the email, and the store's words are the email's."""

from __future__ import annotations

import time
from typing import Any

import pytest

from nozzly.sales.domain.cart_reminders import HOUR
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.settings_helpers import join
from tests.functional.store_helpers import claims
from tests.functional.test_cart_reminders import MINUTE, reminders, run_at, with_email
from tests.functional.test_carts import guest_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER = "flows-owner"


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    join(cloud, OWNER, "owner", store=STORE, name="Store")
    return cloud


def change_flow(cloud: Cloud, flow: str, **change: Any) -> None:
    params = {"store": STORE, "flow": flow}
    read = cloud.http(
        "EmailFlows",
        api_event("GET /admin/stores/{store}/email-flows/{flow}", path_parameters=params, claims=claims(OWNER)),
    )
    assert read.status == 200, read.body
    body = {"version": read.body["version"]} | change
    event = api_event(
        "PATCH /admin/stores/{store}/email-flows/{flow}", path_parameters=params, body=body, claims=claims(OWNER)
    )
    answer = cloud.http("EmailFlows", event)
    assert answer.status == 200, answer.body


def test_turning_the_first_reminder_off_stops_it_and_the_later_stages_still_go(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()

    change_flow(shop, "abandoned_cart_1h", enabled=False)

    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 0
    assert run_at(shop, start + 3 * HOUR)["sent"] == 0
    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 1
    assert len(reminders()) == 1 and "still waiting" in reminders()[0].body


def test_turning_a_flow_back_on_while_its_window_is_open_sends_it(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()
    change_flow(shop, "abandoned_cart_1h", enabled=False)
    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 0

    change_flow(shop, "abandoned_cart_1h", enabled=True)

    assert run_at(shop, start + HOUR + 20 * MINUTE)["sent"] == 1


def test_a_changed_delay_is_honoured(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()

    change_flow(shop, "abandoned_cart_1h", delay=4)

    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 0  # the old delay: nothing yet
    assert run_at(shop, start + 3 * HOUR + 50 * MINUTE)["sent"] == 0
    assert run_at(shop, start + 4 * HOUR + MINUTE)["sent"] == 1
    assert run_at(shop, start + 4 * HOUR + 20 * MINUTE)["sent"] == 0  # once
    listed = shop.http(
        "EmailFlows",
        api_event("GET /admin/stores/{store}/email-flows", path_parameters={"store": STORE}, claims=claims(OWNER)),
    )
    sent = {f["key"]: f["sent"] for f in listed.body["flows"]}
    assert (sent["abandoned_cart_1h"], sent["abandoned_cart_24h"]) == (1, 0)  # the flow's counter


def test_the_stores_words_are_the_emails(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()

    change_flow(shop, "abandoned_cart_1h", subject="Still thinking it over? {store_name} kept it", intro="Psst!")

    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 1
    (email,) = reminders()
    assert email.subject.endswith("kept it") and "{store_name}" not in email.subject
    assert "Psst!" in email.body and "You left something" not in email.body
