"""Review requests: a delivered order gets one, N days after delivery, linking each product to its review form;
an address opted out of the store's marketing gets none; a store that turned the flow off sends none."""

from __future__ import annotations

import time
from typing import Any

import pytest

from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.adapters.sent_emails import SentEmails
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.adapters.review_requests import ReviewRequestsRepository
from nozzly.orders.services.review_requests import ReviewRequests
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.services.cart_reminder_optouts import ReminderOptOuts
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from tests.functional.auth_helpers import SentEmail, outbox
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.settings_helpers import join
from tests.functional.test_cart_reminder_flows import OWNER, change_flow
from tests.functional.test_carts import guest_cart
from tests.functional.test_checkout import check_out, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
DAY = 86400
SAM = "sam@example.com"


@pytest.fixture
def delivered(cloud: Cloud) -> tuple[Cloud, str]:
    seed_store(cloud)
    join(cloud, OWNER, "owner", store=STORE, name="Store")
    cart = guest_cart(cloud)
    cart.add(quantity=2)
    checkout = check_out(cart).body["id"]
    step(cloud, "reserve", checkout)
    step(cloud, "place_order", checkout)
    return cloud, checkout


def order_delivered(order_id: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "0b6c1d55-9a51-4d36-9f0e-3f1f6c0c7a01",
        "detail-type": "OrderDelivered",
        "source": "nozzly.orders",
        "detail": {"store_id": STORE, "order_id": order_id},
    }


def requester(cloud: Cloud) -> ReviewRequests:
    env = cloud.environments["ReviewRequests"]
    cloud.apply_environment(env)
    return ReviewRequests(
        orders=OrdersRepository(cloud.names["OrdersTable"]),
        requests=ReviewRequestsRepository(cloud.names["OrdersTable"]),
        stores=StoresRepository(cloud.names["StoresTable"]),
        settings=StoreSettingsRepository(cloud.names["StoresTable"]),
        flows=EmailFlowsRepository(cloud.names["StoresTable"]),
        optouts=CartRemindersRepository(cloud.names["CartsTable"]),
        sent=SentEmails(cloud.names["OrdersTable"]),
        mailer=Mailer(env["EMAIL_FROM"]),
        api_url=env["API_URL"],
    )


def review_emails(to: str = SAM) -> list[SentEmail]:
    return [m for m in outbox(to) if m.subject.startswith("How was your")]


def test_a_delivered_order_gets_one_review_request_seven_days_later(delivered: tuple[Cloud, str]) -> None:
    cloud, order = delivered
    start = time.time()

    first = cloud.invoke("ReviewRequests", order_delivered(order))
    again = cloud.invoke("ReviewRequests", order_delivered(order))  # EventBridge delivers at least once

    assert (first, again) == ({"outcome": "scheduled"}, {"outcome": "already"})
    assert requester(cloud).run(start + 6 * DAY).sent == 0
    assert requester(cloud).run(start + 7 * DAY + 60).sent == 1
    assert requester(cloud).run(start + 7 * DAY + 3600).sent == 0
    assert requester(cloud).run(start + 8 * DAY).sent == 0
    (email,) = review_emails()
    assert "Review Ember Longsword" in email.body
    assert f"/account/orders/{order}?review=ember-longsword#review" in email.body
    assert "Stop them with one click" in email.body  # the marketing footer's opt-out
    assert EmailFlowsRepository(cloud.names["StoresTable"]).sent_counts(STORE)["review_request"] == 1


def test_an_address_opted_out_of_the_stores_marketing_gets_no_review_request(delivered: tuple[Cloud, str]) -> None:
    cloud, order = delivered
    start = time.time()
    cloud.apply_environment(cloud.environments["ReviewRequests"])
    optouts = CartRemindersRepository(cloud.names["CartsTable"])
    token = "t" * 32
    optouts.write_marketing_link(STORE, token, SAM, start)
    ReminderOptOuts(optouts).opt_out(STORE, token)  # what the opt-out link of any marketing email does
    cloud.invoke("ReviewRequests", order_delivered(order))

    report = requester(cloud).run(start + 7 * DAY + 60)

    assert (report.sent, report.skipped) == (0, 1)
    assert review_emails() == []


def test_a_store_that_turned_review_requests_off_sends_none_even_for_orders_scheduled_before(
    delivered: tuple[Cloud, str],
) -> None:
    cloud, order = delivered
    start = time.time()
    assert cloud.invoke("ReviewRequests", order_delivered(order)) == {"outcome": "scheduled"}

    change_flow(cloud, "review_request", enabled=False)

    assert requester(cloud).run(start + 7 * DAY + 60).sent == 0
    assert review_emails() == []


def test_a_changed_delay_is_honoured_for_orders_delivered_after_it(delivered: tuple[Cloud, str]) -> None:
    cloud, order = delivered
    start = time.time()
    change_flow(cloud, "review_request", delay=2)

    cloud.invoke("ReviewRequests", order_delivered(order))

    assert requester(cloud).run(start + DAY + 60).sent == 0
    assert requester(cloud).run(start + 2 * DAY + 60).sent == 1
