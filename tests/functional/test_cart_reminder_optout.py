"""Opting out of abandoned-cart reminders: every reminder links to a one-click opt-out; its token stops that
address's reminders from that store, for this cart and any later one, and from no other store."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

import pytest

from nozzly.kernel.adapters.aws import client
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.domain.cart_reminders import HOUR
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.page_helpers import Browser
from tests.functional.test_cart_reminders import ADA, MINUTE, reminder_item, reminders, run_at, sender, with_email
from tests.functional.test_carts import CartApi, guest_cart, guest_session, shopper_cart
from tests.functional.test_checkout import check_out, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OTHER = "other-forge"
LINK = re.compile(r"/reminders/opt-out\?token=([A-Za-z0-9_-]{32})")


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    return cloud


def opt_out(cloud: Cloud, token: Any, store: str = STORE) -> HttpResponse:
    event = api_event("POST /stores/{store}/reminders/opt-out", path_parameters={"store": store}, body={"token": token})
    return cloud.http("Carts", event)


def tokens_in(body: str) -> list[str]:
    return LINK.findall(body)


def opted_out(cloud: Cloud, email: str = ADA, store: str = STORE) -> dict[str, Any] | None:
    item = cloud.item("CartsTable", store, f"OPTOUT#{email}")
    return from_item(item) if item else None


def snapshots(cloud: Cloud, prefix: str) -> list[dict[str, Any]]:
    items = [from_item(i) for i in cloud.all_items("CartsTable")]
    return [i for i in items if i["pk"] == STORE and str(i["sk"]).startswith(prefix)]


def reminded_cart(cloud: Cloud, email: str = ADA) -> tuple[CartApi, float]:
    cart = guest_cart(cloud)
    cart.add()
    with_email(cart, email)
    return cart, time.time()


def test_a_reminders_link_opts_out_and_no_later_stage_is_sent(shop: Cloud) -> None:
    cart, start = reminded_cart(shop)
    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 1
    (token,) = set(tokens_in(reminders()[0].body))

    answer = opt_out(shop, token)

    assert (answer.status, answer.body) == (200, {"opted_out": True})
    assert reminder_item(shop, cart) is None  # the cart's pending stages are gone
    assert opted_out(shop) is not None
    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 0
    assert run_at(shop, start + 72 * HOUR + MINUTE)["sent"] == 0
    assert len(reminders()) == 1


def test_every_stage_of_a_cart_carries_the_same_link_while_the_address_stays(shop: Cloud) -> None:
    cart, start = reminded_cart(shop)
    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 1
    cart.add()  # a change starts the stages over; the link is kept
    again = time.time()
    assert run_at(shop, again + HOUR + MINUTE)["sent"] == 1
    assert run_at(shop, again + 24 * HOUR + MINUTE)["sent"] == 1

    links = [tokens_in(m.body) for m in reminders()]
    assert len({token for found in links for token in found}) == 1 and all(links)


def test_repeating_an_opt_out_is_200_again_and_changes_nothing(shop: Cloud) -> None:
    _, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    (token,) = set(tokens_in(reminders()[0].body))
    assert opt_out(shop, token).status == 200
    first = opted_out(shop)

    again = opt_out(shop, token)

    assert (again.status, again.body) == (200, {"opted_out": True})
    assert opted_out(shop) == first  # still the first opt-out's time


def test_an_opted_out_address_gets_no_reminder_of_its_other_carts_in_that_store_but_does_in_another(
    shop: Cloud,
) -> None:
    first, start = reminded_cart(shop)
    second, _ = reminded_cart(shop)  # another guest session, the same address, reminded before the opt-out
    run_at(shop, start + HOUR + MINUTE)
    assert len(reminders()) == 2
    token = tokens_in(reminders()[0].body)[0]
    assert opt_out(shop, token).status == 200
    (older,) = [cart for cart in (first, second) if reminder_item(shop, cart)]  # the other cart's is still there

    newer, later = reminded_cart(shop)  # a cart after the opt-out: no snapshot is even written
    assert reminder_item(shop, newer) is None
    seed_store(shop, OTHER)
    elsewhere = CartApi(
        shop, "/stores/{store}/carts/{session}", {"store": OTHER, "session": guest_session(shop, OTHER)}
    )
    elsewhere.add()
    with_email(elsewhere)

    assert run_at(shop, later + HOUR + MINUTE)["sent"] == 1  # the other store's
    report = run_at(shop, start + 24 * HOUR + MINUTE)

    # the other store's 24-hour stage goes out; the older cart is refused at the send, and never claimed again
    assert (report["sent"], report["skipped"]) == (1, 1)
    assert reminder_item(shop, older) is None
    elsewhere_sent = [m for m in reminders() if f"/shop/{OTHER}/account/reminders/opt-out?token=" in m.body]
    assert len(reminders()) == 4 and len(elsewhere_sent) == 2
    # the other store's email carries its own link, which the first store does not know
    (other_token,) = set(tokens_in(elsewhere_sent[0].body))
    assert other_token != token
    assert opt_out(shop, other_token).status == 404


def test_a_shoppers_account_address_opts_out_for_the_next_cart_too(shop: Cloud) -> None:
    sam = shopper_cart(shop, "sam@example.com")
    sam.add()
    start = time.time()
    run_at(shop, start + HOUR + MINUTE)
    (token,) = set(tokens_in(reminders("sam@example.com")[0].body))
    assert opt_out(shop, token).status == 200

    sam.add()  # the cart changes again: no snapshot is written for the address, nothing is sent
    assert snapshots(shop, "REMIND#shopper:") == []
    assert run_at(shop, time.time() + HOUR + MINUTE)["sent"] == 0
    assert len(reminders("sam@example.com")) == 1


def test_a_guest_giving_an_opted_out_address_gets_the_cart_but_no_reminder_is_written(shop: Cloud) -> None:
    _, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    (token,) = set(tokens_in(reminders()[0].body))
    assert opt_out(shop, token).status == 200
    assert snapshots(shop, "REMIND#guest:") == []

    again = guest_cart(shop)
    again.add()
    answer = with_email(again, " ADA@example.com")

    assert answer["item_count"] == 1
    assert snapshots(shop, "REMIND#guest:") == []
    assert run_at(shop, time.time() + HOUR + MINUTE)["sent"] == 0
    assert with_email(again, "bea@example.com")["item_count"] == 1  # another address is reminded as before
    assert [s["email"] for s in snapshots(shop, "REMIND#guest:")] == ["bea@example.com"]


def test_a_token_never_opts_out_the_address_a_checkout_gave_the_cart_since(shop: Cloud) -> None:
    cart, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    (old,) = set(tokens_in(reminders()[0].body))
    checkout = check_out(cart, email="cy@example.com").body["id"]
    step(shop, "reserve", checkout)
    step(shop, "abandon", checkout, error={"Error": "States.Timeout"})

    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 1  # now to the checkout's address
    (new,) = set(tokens_in(reminders("cy@example.com")[0].body))
    assert new != old
    assert opt_out(shop, old).status == 200  # Ada's old link opts Ada out, not Cy
    assert opted_out(shop, "cy@example.com") is None and reminder_item(shop, cart) is not None
    assert run_at(shop, start + 72 * HOUR + MINUTE)["sent"] == 1
    assert len(reminders("cy@example.com")) == 2


@pytest.mark.parametrize("token", ["A" * 32, "short", "x" * 64, "../../OPTOUT#ada@example.com"])
def test_an_unknown_token_is_404_and_changes_nothing(shop: Cloud, token: str) -> None:
    cart, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    before = reminder_item(shop, cart)

    answer = opt_out(shop, token)

    assert answer.status == 404 and answer.body["error"]["fields"][0]["field"] == "token", answer.body
    assert reminder_item(shop, cart) == before and opted_out(shop) is None
    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 1


def test_a_token_is_only_good_in_the_store_that_sent_it(shop: Cloud) -> None:
    seed_store(shop, OTHER)
    _, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    (token,) = set(tokens_in(reminders()[0].body))

    assert opt_out(shop, token, store=OTHER).status == 404
    assert opted_out(shop) is None and opted_out(shop, store=OTHER) is None


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": 42}])
def test_a_body_without_a_token_is_refused(shop: Cloud, body: dict[str, Any]) -> None:
    event = api_event("POST /stores/{store}/reminders/opt-out", path_parameters={"store": STORE}, body=body)
    answer = shop.http("Carts", event)
    assert answer.status == 400 and answer.body["error"]["fields"][0]["field"] == "token", answer.body


def test_the_link_goes_to_the_storefront_when_the_store_has_one(shop: Cloud) -> None:
    client("dynamodb").put_item(
        TableName=shop.names["StoresTable"],
        Item={"pk": {"S": STORE}, "sk": {"S": "SETTINGS#email"}, "storefront_url": {"S": "https://shop.example/"}},
    )
    _, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)

    (body,) = [m.body for m in reminders()]
    assert re.search(r"https://shop\.example/reminders/opt-out\?token=[A-Za-z0-9_-]{32}", body), body


def test_the_api_opt_out_page_changes_nothing_until_its_button_posts_the_token(shop: Cloud) -> None:
    """Older emails link here (the API's own page); newer ones link to the shop's account page."""
    _, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    (body,) = [m.body for m in reminders()]
    link = re.search(r"/account/reminders/opt-out\?token=([A-Za-z0-9_-]{32})", body)
    assert link is not None, body
    event = api_event("GET /stores/{store}/reminders/opt-out", path_parameters={"store": STORE})
    event["rawQueryString"], event["queryStringParameters"] = f"token={link[1]}", {"token": link[1]}

    page = shop.invoke("Carts", event)

    headers, html = page["headers"], page["body"]
    assert page["statusCode"] == 200 and headers["content-type"].startswith("text/html")
    assert headers["cache-control"] == "no-store" and headers["referrer-policy"] == "no-referrer"
    assert "Stop cart reminders" in html and 'method: "POST"' in html
    assert link[1] not in html  # the token stays in the address bar, never in the page
    assert opted_out(shop) is None  # a prefetch by a mail client opts nobody out
    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 1


def test_the_link_opens_the_shops_page_that_changes_nothing_until_its_button_posts_the_token(shop: Cloud) -> None:
    _, start = reminded_cart(shop)
    run_at(shop, start + HOUR + MINUTE)
    (body,) = [m.body for m in reminders()]
    link = re.search(r"https://[^\"\s]*/shop/([a-z0-9-]+)/account/reminders/opt-out\?token=([A-Za-z0-9_-]{32})", body)
    assert link is not None and link[1] == STORE, body
    browser = Browser(shop)

    page = browser.get(f"/shop/{STORE}/account/reminders/opt-out", query=f"token={link[2]}")

    assert page.status == 200 and page.headers["cache-control"] == "no-store"
    assert "Stop cart reminders" in page.html
    assert opted_out(shop) is None  # a prefetch by a mail client opts nobody out
    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 1
    done = browser.post(f"/shop/{STORE}/account/reminders/opt-out", {"csrf": page.csrf(), "token": link[2]})
    assert done.status == 200 and "no more cart reminders" in done.html
    assert opted_out(shop) is not None


def test_no_reminder_goes_out_without_a_working_opt_out_link_and_the_next_run_sends_it(shop: Cloud) -> None:
    _, start = reminded_cart(shop)

    class LinksFail(CartRemindersRepository):
        def write_links(self, reminders: Any, now: float) -> None:
            raise RuntimeError("DynamoDB is throttling")

    broken = replace(sender(shop), reminders=LinksFail(shop.names["CartsTable"]))
    assert broken.run(start + HOUR + MINUTE).as_dict() == {"sent": 0, "skipped": 0, "failed": 1, "complete": True}
    assert reminders() == []

    assert run_at(shop, start + HOUR + 20 * MINUTE)["sent"] == 1
    (token,) = set(tokens_in(reminders()[0].body))
    assert opt_out(shop, token).status == 200


def test_the_opt_out_check_and_links_cost_one_batch_read_and_two_batch_writes_per_run_not_per_cart(
    shop: Cloud,
) -> None:
    from collections import Counter

    from nozzly.kernel.adapters import aws

    for address in ("a@example.com", "b@example.com", "c@example.com", ADA):
        reminded_cart(shop, address)
    _, start = reminded_cart(shop, "d@example.com")
    run_at(shop, start + HOUR + MINUTE)  # d's first stage: d gets a link, and uses it
    (token,) = set(tokens_in(reminders("d@example.com")[0].body))
    assert opt_out(shop, token).status == 200
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    run = sender(shop)
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", count)
    report = run.run(start + 24 * HOUR + MINUTE)
    aws.client("dynamodb").meta.events.unregister("before-call.dynamodb", count)

    assert report.as_dict() == {"sent": 4, "skipped": 0, "failed": 0, "complete": True}
    # per cart only the claim and its flow's sent counter; once per run: the store and its email settings, its email
    # flows, the opt-outs, the opt-out links and the cart links (the touch hours: 12 + 43 + 67, every hour a store's
    # delays may reach)
    assert Counter(calls) == {"Query": 122, "UpdateItem": 8, "GetItem": 2, "BatchGetItem": 2, "BatchWriteItem": 2}
