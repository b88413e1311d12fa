"""Cart recovery through the Carts function: a reminder email's cart link restores the lines it showed, judged
again, into the browser's guest session, a new session or a shopper's cart; twice changes nothing; a link this
store never sent, or one past its life, is a 404."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from tests.functional.auth_helpers import SentEmail, api_event
from tests.functional.harness import STORE, Cloud, HttpResponse, product_payload, product_step, seed_store
from tests.functional.test_cart_reminders import MINUTE, reminders, run_at, with_email
from tests.functional.test_carts import EMBER, CartApi, guest_cart, shopper_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
HOUR = 3600
LINK = re.compile(r"/shop/[a-z0-9-]+/account/cart/recover\?token=([A-Za-z0-9_-]{32})")


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    return cloud


def recover(cloud: Cloud, token: Any, session: str | None = None, store: str = STORE) -> HttpResponse:
    body = {"token": token} | ({"session_id": session} if session else {})
    event = api_event("POST /stores/{store}/carts/recover", path_parameters={"store": store}, body=body)
    return cloud.http("Carts", event)


def token_of(email: SentEmail) -> str:
    found = LINK.findall(email.body)
    assert len(found) == 1, email.body
    return str(found[0])


def expire(cloud: Cloud, cart: CartApi) -> None:
    """What a day without the shopper does: the cart item is gone (TTL), its reminder snapshot is not."""
    table = cloud.names["CartsTable"]
    key = {"pk": {"S": STORE}, "sk": {"S": f"CART#guest:{cart.params['session']}"}}
    cloud.client("dynamodb").delete_item(TableName=table, Key=key)


def reminded(cloud: Cloud, *adds: tuple[str, int, str | None]) -> tuple[CartApi, str]:
    """A guest cart with these lines and an email, left a day: its cart gone, the 24 h reminder's link token."""
    cart = guest_cart(cloud)
    for product, quantity, variant in adds:
        assert cart.add(product, quantity, variant).status == 200
    with_email(cart)
    run_at(cloud, time.time() + 24 * HOUR + MINUTE)
    expire(cloud, cart)
    (email,) = reminders()
    return cart, token_of(email)


def lines(body: dict[str, Any]) -> list[tuple[str, int]]:
    return [(i["id"], i["quantity"]) for i in body["cart"]["items"]]


def test_the_link_restores_the_expired_cart_into_a_new_session_and_again_changes_nothing(shop: Cloud) -> None:
    cart, token = reminded(shop, (EMBER, 2, "standard"), ("oaken-buckler", 1, None))
    assert cart.get()["items"] == []  # the cart itself is gone

    first = recover(shop, token)

    assert first.status == 200, first.body
    session = first.body["session_id"]
    assert session and session != cart.params["session"]
    assert lines(first.body) == [(f"{EMBER}:standard", 2), ("oaken-buckler:default", 1)]
    assert first.body["not_restored"] == [] and first.body["repriced"] == []
    assert guest_cart(shop, session).get() == first.body["cart"]  # it is that session's cart now
    stored = from_item(shop.item("CartsTable", STORE, f"CART#guest:{session}") or {})

    again = recover(shop, token, session)

    assert again.status == 200 and again.body["cart"] == first.body["cart"]
    assert from_item(shop.item("CartsTable", STORE, f"CART#guest:{session}") or {})["version"] == stored["version"]


def test_once_restored_elsewhere_the_old_cart_sends_no_later_reminder(shop: Cloud) -> None:
    cart, token = reminded(shop, (EMBER, 1, "standard"))
    assert recover(shop, token).status == 200

    assert run_at(shop, time.time() + 72 * HOUR + MINUTE)["sent"] == 0  # the 72 h one would remind of a left cart
    assert shop.item("CartsTable", STORE, f"REMIND#guest:{cart.params['session']}") is None
    assert recover(shop, token).status == 200  # the link itself still works: it holds what its email showed


def test_the_link_restores_into_the_browsers_session_merging_with_what_its_cart_holds(shop: Cloud) -> None:
    _, token = reminded(shop, (EMBER, 2, "standard"))
    other = guest_cart(shop)
    other.add(EMBER, 1, "standard")
    other.add("shadow-dagger", 1, None)

    merged = recover(shop, token, other.params["session"])

    assert merged.status == 200, merged.body
    assert merged.body["session_id"] == other.params["session"]
    assert sorted(lines(merged.body)) == [(f"{EMBER}:standard", 2), ("shadow-dagger:default", 1)]  # 1 topped up to 2


def test_lines_are_judged_again_today_and_what_falls_short_is_named_with_its_reason(shop: Cloud) -> None:
    _, token = reminded(shop, (EMBER, 1, "standard"), ("oaken-buckler", 3, None), ("frost-sabre", 1, None))
    shop.invoke("CatalogImport", product_step(product_payload("oaken-buckler", "shields", 2, amount=6500)))
    shop.invoke("CatalogImport", product_step(product_payload("frost-sabre", "blades", 2, status="draft")))

    answer = recover(shop, token)

    assert answer.status == 200, answer.body
    assert lines(answer.body) == [(f"{EMBER}:standard", 1), ("oaken-buckler:default", 2)]
    assert [(m["id"], m["wanted"], m["in_cart"], m["reason"]) for m in answer.body["not_restored"]] == [
        ("oaken-buckler:default", 3, 2, "partly_available"),
        ("frost-sabre:default", 1, 0, "no_longer_sold"),
    ]
    (repriced,) = answer.body["repriced"]
    assert (repriced["unit_price_then"]["amount"], repriced["unit_price_now"]["amount"]) == (5900, 6500)
    buckler = answer.body["cart"]["items"][1]
    assert buckler["unit_price"]["amount"] == 6500 and not buckler["price_changed"]


def test_a_shopper_following_the_link_gets_the_lines_in_their_own_cart(shop: Cloud) -> None:
    _, token = reminded(shop, (EMBER, 1, "gilded"))
    sam = shopper_cart(shop, "sam@example.com")

    answer = sam.call("POST", "/recover", {"token": token})

    assert answer.status == 200, answer.body
    assert answer.body["session_id"] is None
    assert [(i["id"], i["quantity"]) for i in sam.get()["items"]] == [(f"{EMBER}:gilded", 1)]


@pytest.mark.parametrize(
    "token", ["A" * 32, "not a token", "x" * 64], ids=["unknown", "malformed", "long and malformed"]
)
def test_a_token_this_store_never_sent_is_a_404_naming_it_and_starts_no_session(shop: Cloud, token: str) -> None:
    before = _sessions(shop)

    answer = recover(shop, token)

    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found" and answer.body["error"]["fields"][0]["field"] == "token"
    assert _sessions(shop) == before


def test_another_stores_link_and_bad_bodies_are_refused(shop: Cloud) -> None:
    _, token = reminded(shop, (EMBER, 1, "standard"))

    assert recover(shop, token, store="other-forge").status == 404
    for body in ({}, {"token": 5}, {"token": ""}):
        event = api_event("POST /stores/{store}/carts/recover", path_parameters={"store": STORE}, body=body)
        refused = shop.http("Carts", event)
        assert refused.status == 400 and refused.body["error"]["fields"][0]["field"] == "token", refused.body
    assert recover(shop, token, "y" * 43).status == 404  # a session that does not exist


def test_a_link_past_its_life_is_a_404_saying_it_expired(shop: Cloud) -> None:
    _, token = reminded(shop, (EMBER, 1, "standard"))
    (link,) = [i for i in shop.all_items("CartsTable") if i["sk"]["S"].startswith("RECOVER#")]
    assert token not in str(link)  # only the token's hash is stored
    shop.client("dynamodb").update_item(
        TableName=shop.names["CartsTable"],
        Key={"pk": link["pk"], "sk": link["sk"]},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )

    answer = recover(shop, token)

    assert answer.status == 404 and answer.body["error"]["code"] == "link_expired", answer.body


def test_the_links_page_changes_nothing_until_its_button_posts(shop: Cloud) -> None:
    event = api_event("GET /stores/{store}/carts/recover", path_parameters={"store": STORE})
    before = _sessions(shop)

    page = shop.invoke("Carts", event)

    assert page["statusCode"] == 200 and "Restore my cart" in page["body"]
    assert page["headers"]["cache-control"] == "no-store"
    assert _sessions(shop) == before


def _sessions(shop: Cloud) -> int:
    """Identity items other than the per-IP windows of the public routes' rate limit (nozzly.traffic)."""
    return sum(not item["pk"]["S"].startswith("RATE#") for item in shop.all_items("IdentityTable"))
