"""Win-back: a shopper with no order for the store's N days gets one email asking them back, once per window
(retries and repeated runs send nothing twice), never when the flow is off or the address opted out of the
store's marketing; its tracked link counts a click once, and the next order within 7 days of it a conversion."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.orders.services.win_back import WinBack
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.services.cart_reminder_optouts import ReminderOptOuts
from tests.functional.auth_helpers import SentEmail, api_event, outbox
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.settings_helpers import join
from tests.functional.store_helpers import claims
from tests.functional.test_cart_reminder_flows import OWNER, change_flow
from tests.functional.test_carts import guest_cart
from tests.functional.test_checkout import check_out, step
from tests.functional.test_review_requests import SAM

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
DAY = 86400


@pytest.fixture
def placed(cloud: Cloud) -> tuple[Cloud, str]:
    """The shop, its owner, and one placed order of SAM's (its id)."""
    seed_store(cloud)
    join(cloud, OWNER, "owner", store=STORE, name="Store")
    return cloud, another_order(cloud, "key-00000001")


def order_placed(order_id: str) -> dict[str, Any]:
    return {"detail-type": "OrderPlaced", "source": "nozzly.sales", "detail": {"store_id": STORE, "order_id": order_id}}


def sender(cloud: Cloud) -> WinBack:
    from nozzly import wiring
    from nozzly.wiring import marketing

    cloud.apply_environment(cloud.environments["WinBack"])
    wiring.reset()
    return marketing.win_back()


def win_backs(to: str = SAM) -> list[SentEmail]:
    return [m for m in outbox(to) if m.subject.startswith("We miss you")]


def counts(cloud: Cloud) -> dict[str, Any]:
    event = api_event(
        "GET /admin/stores/{store}/email-flows/{flow}",
        path_parameters={"store": STORE, "flow": "win_back"},
        claims=claims(OWNER),
    )
    answer = cloud.http("EmailFlows", event)
    assert answer.status == 200, answer.body
    return {k: answer.body[k] for k in ("sent", "opened", "clicked", "converted")}


def test_win_back_is_sent_once_per_window_and_its_click_and_the_next_order_count(placed: tuple[Cloud, str]) -> None:
    cloud, order = placed
    start = time.time()
    change_flow(cloud, "win_back", enabled=True, delay=30)

    first = cloud.invoke("WinBack", order_placed(order))
    again = cloud.invoke("WinBack", order_placed(order))  # EventBridge delivers at least once

    assert (first["window"], again["window"]) == ("opened", "older")
    assert sender(cloud).run(start + 29 * DAY).sent == 0
    assert sender(cloud).run(start + 30 * DAY + 60).sent == 1
    assert sender(cloud).run(start + 30 * DAY + 120).sent == 0  # a repeated run: the window was handled
    assert sender(cloud).run(start + 31 * DAY).sent == 0
    (email,) = win_backs()
    assert "Unsubscribe from" in email.body and "/account/reminders/opt-out?token=" in email.body
    found = re.search(r"/r/([a-z0-9-]+\.[A-Za-z0-9_-]{22})\b", email.body)  # the tracked shop link
    assert found is not None, email.body
    token = found.group(1)
    assert counts(cloud) == {"sent": 1, "opened": None, "clicked": 0, "converted": 0}

    clicks = [cloud.http("EmailFlows", follow(token)) for _ in range(2)]

    assert [c.status for c in clicks] == [302, 302]
    assert clicks[0].headers["location"].endswith(f"/shop/{STORE}/")
    assert counts(cloud)["clicked"] == 1  # the second click of the same email is not another
    time.sleep(1 - time.time() % 1)  # a window is named by its order's second: this order is a second later
    second = another_order(cloud)
    assert cloud.invoke("WinBack", order_placed(second)) == {"window": "opened", "converted": True}
    assert cloud.invoke("WinBack", order_placed(second))["converted"] is False  # a retry counts nothing twice
    assert counts(cloud) == {"sent": 1, "opened": None, "clicked": 1, "converted": 1}


def test_an_opted_out_address_and_a_store_with_the_flow_off_get_no_win_back(placed: tuple[Cloud, str]) -> None:
    cloud, order = placed
    start = time.time()
    cloud.invoke("WinBack", order_placed(order))

    assert sender(cloud).run(start + 90 * DAY + 60).sent == 0  # off by default: nobody got one before flows

    change_flow(cloud, "win_back", enabled=True)
    time.sleep(1 - time.time() % 1)  # a window is named by its order's second: this order opens the next one
    cloud.invoke("WinBack", order_placed(another_order(cloud)))
    optouts = CartRemindersRepository(cloud.names["CartsTable"])
    optouts.write_marketing_link(STORE, "t" * 32, SAM, start)
    ReminderOptOuts(optouts).opt_out(STORE, "t" * 32)  # what the opt-out link of any marketing email does
    report = sender(cloud).run(start + 90 * DAY + 60)

    assert (report.sent, report.skipped) == (0, 1)
    assert win_backs() == []
    assert EmailFlowsRepository(cloud.names["StoresTable"]).sent_counts(STORE)["win_back"] == 0


@pytest.mark.parametrize("token", ["nope", "mystmereforge." + "A" * 22, "../x", "a" * 120])
def test_an_unknown_or_malformed_link_is_a_404(cloud: Cloud, token: str) -> None:
    answer = cloud.http("EmailFlows", follow(token))

    assert answer.status == 404 and answer.body["error"]["code"] == "not_found"


def follow(token: str) -> dict[str, Any]:
    return api_event("GET /r/{token}", path_parameters={"token": token})


def another_order(cloud: Cloud, key: str = "key-00000002") -> str:
    cart = guest_cart(cloud)
    cart.add()
    checkout = check_out(cart, key=key).body["id"]
    step(cloud, "reserve", checkout)
    step(cloud, "place_order", checkout)
    return str(checkout)
