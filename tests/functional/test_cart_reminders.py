"""Abandoned-cart reminders: a cart with items and a known email gets one email at 1 h, 24 h and 72 h untouched,
across any number of CartReminders runs; a touched cart starts over; an ordered cart gets none."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
from nozzly.messaging.adapters.email import Mailer
from nozzly.sales.adapters.cart_recovery_links import CartRecoveryLinks
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.adapters.checkouts import CheckoutsRepository
from nozzly.sales.domain.cart_reminders import HOUR, new_optout_token
from nozzly.sales.services.cart_reminders import CartReminderSender
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from tests.functional.auth_helpers import SentEmail, outbox
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.test_carts import GILDED, CartApi, guest_cart, shopper_cart
from tests.functional.test_checkout import check_out, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
MINUTE = 60
ADA = "ada@example.com"


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    return cloud


def sender(cloud: Cloud) -> CartReminderSender:
    cloud.apply_environment(cloud.environments["CartReminders"])
    return CartReminderSender(
        reminders=CartRemindersRepository(cloud.names["CartsTable"]),
        checkouts=CheckoutsRepository(cloud.names["OrdersTable"]),
        stores=StoresRepository(cloud.names["StoresTable"]),
        settings=StoreSettingsRepository(cloud.names["StoresTable"]),
        mailer=Mailer(cloud.environments["CartReminders"]["EMAIL_FROM"]),
        api_url=cloud.environments["CartReminders"]["API_URL"],
        recovery_links=CartRecoveryLinks(cloud.names["CartsTable"]),
        flows=EmailFlowsRepository(cloud.names["StoresTable"]),
    )


def run_at(cloud: Cloud, at: float) -> dict[str, Any]:
    return sender(cloud).run(at).as_dict()


def with_email(cart: CartApi, email: str = ADA) -> dict[str, Any]:
    answer = cart.call("PUT", "/email", {"email": email})
    assert answer.status == 200, answer.body
    body: dict[str, Any] = answer.body
    return body


def reminders(to: str = ADA) -> list[SentEmail]:
    return [m for m in outbox(to) if m.subject.startswith("Still thinking it over?")]


def reminder_item(cloud: Cloud, cart: CartApi) -> dict[str, Any] | None:
    item = cloud.item("CartsTable", STORE, f"REMIND#guest:{cart.params['session']}")
    return from_item(item) if item else None


def test_a_cart_with_an_email_gets_one_reminder_at_1_24_and_72_hours_across_many_runs(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=2)
    with_email(cart, "  Ada@Example.com ")
    start = time.time()

    sent_per_run = [run_at(shop, start + minutes * MINUTE)["sent"] for minutes in range(0, 80 * 60, 30)]

    assert sum(sent_per_run) == 3
    # the runs that sent: the first at or after each stage fell due (1 h, 24 h, 72 h after the last change)
    assert [i * 30 for i, sent in enumerate(sent_per_run) if sent] == [60, 24 * 60, 72 * 60]
    emails = reminders()
    assert [m.to for m in emails] == [[ADA]] * 3
    assert "You left something in your cart." in emails[0].body
    assert "still waiting" in emails[1].body and "Last reminder" in emails[2].body
    assert all("2 &times; Ember Longsword" in m.body and "258.00 EUR" in m.body for m in emails)
    assert run_at(shop, start + 72 * HOUR + 2 * MINUTE)["sent"] == 0  # a run again at the same stage sends nothing


def test_a_stage_missed_by_every_run_is_caught_up_within_hours_but_never_a_day_late(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()

    assert run_at(shop, start + 5 * HOUR)["sent"] == 1  # the 1-hour reminder, four hours late
    assert run_at(shop, start + 30 * HOUR + 30 * MINUTE)["sent"] == 0  # the 24-hour one is too late now
    assert run_at(shop, start + 72 * HOUR + MINUTE)["sent"] == 1
    assert len(reminders()) == 2


def test_a_touched_cart_starts_over_with_its_new_lines(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()
    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 1

    cart.add(variant=GILDED)  # the shopper comes back: every stage is open again, for both lines

    assert run_at(shop, start + HOUR + 2 * MINUTE)["sent"] == 1
    last = reminders()[-1]
    assert "(Gilded hilt)" in last.body and "288.00 EUR" in last.body


def test_a_cart_touched_between_the_query_and_the_claim_is_not_reminded_of_its_old_lines(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    at = time.time() + HOUR + MINUTE
    repository = CartRemindersRepository(shop.names["CartsTable"])
    (due,) = [
        d
        for hour in range(int(at - 2 * HOUR) // HOUR, int(at) // HOUR + 1)
        for d in repository.due_in_hour(hour * HOUR, 1, at - HOUR)
    ]

    cart.add()

    assert repository.claim(due, 1, at, new_optout_token()) is None
    assert run_at(shop, at)["sent"] == 1  # the new snapshot is due too (touched within the same second)


def test_a_shoppers_cart_is_reminded_at_the_account_email(shop: Cloud) -> None:
    sam = shopper_cart(shop, "sam@example.com")
    sam.add(variant=GILDED)

    assert run_at(shop, time.time() + HOUR + MINUTE)["sent"] == 1
    assert len(reminders("sam@example.com")) == 1


def test_carts_without_an_email_or_without_items_get_nothing(shop: Cloud) -> None:
    anonymous = guest_cart(shop)
    anonymous.add()
    emptied = guest_cart(shop)
    emptied.add()
    with_email(emptied)
    emptied.call("DELETE")
    only_an_email = guest_cart(shop)
    with_email(only_an_email, "bea@example.com")

    start = time.time()
    for at in (HOUR + MINUTE, 24 * HOUR + MINUTE, 72 * HOUR + MINUTE):
        assert run_at(shop, start + at)["sent"] == 0
    assert outbox() == []
    assert reminder_item(shop, anonymous) is None
    remembered = reminder_item(shop, only_an_email)
    assert remembered is not None and remembered["email"] == "bea@example.com"
    cleared = reminder_item(shop, emptied)
    # Both still know their email, and neither is in the touch index: there is nothing to remind of.
    assert cleared is not None and "lines" not in cleared and "gsi2pk" not in cleared and "gsi2pk" not in remembered


def test_the_email_given_before_any_item_is_used_once_items_are_added(shop: Cloud) -> None:
    cart = guest_cart(shop)
    with_email(cart)
    cart.add()

    assert run_at(shop, time.time() + HOUR + MINUTE)["sent"] == 1
    assert len(reminders()) == 1


def test_a_cart_that_became_an_order_gets_no_reminder(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()
    checkout = check_out(cart, email=ADA).body["id"]
    outcome = step(shop, "reserve", checkout)

    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 0  # the checkout is under way: it may become an order

    step(shop, "place_order", checkout)
    assert run_at(shop, start + HOUR + 2 * MINUTE)["sent"] == 0  # placed, the cart not cleared yet
    step(shop, "clear_cart", checkout, cart=outcome["cart"])

    assert reminder_item(shop, cart) is None
    for at in (24 * HOUR + MINUTE, 72 * HOUR + MINUTE):
        assert run_at(shop, start + at)["sent"] == 0
    assert reminders() == []


def test_a_guest_who_gave_an_email_only_at_checkout_is_reminded_when_the_checkout_fails(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=3)
    start = time.time()
    checkout = check_out(cart, email="cy@example.com").body["id"]
    step(shop, "reserve", checkout)
    step(shop, "abandon", checkout, error={"Error": "States.Timeout"})

    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 1
    (email,) = reminders("cy@example.com")
    assert "3 &times; Ember Longsword" in email.body


def test_a_changed_cart_keeps_a_reminder_of_its_new_lines_after_the_order(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    checkout = check_out(cart, email=ADA).body["id"]
    outcome = step(shop, "reserve", checkout)
    step(shop, "place_order", checkout)
    cart.add(variant=GILDED)  # another tab, before the cart is cleared
    step(shop, "clear_cart", checkout, cart=outcome["cart"])

    assert run_at(shop, time.time() + HOUR + MINUTE)["sent"] == 1
    assert "(Gilded hilt)" in reminders()[0].body


@pytest.mark.parametrize("email", ["not an address", "🔥@🔥.com", "ünï@example.com"])
def test_setting_an_email_that_is_not_one_is_refused_and_changes_nothing(shop: Cloud, email: str) -> None:
    cart = guest_cart(shop)
    cart.add()
    before = cart.get()

    refused = cart.call("PUT", "/email", {"email": email})

    assert refused.status == 400 and refused.body["error"]["fields"][0]["field"] == "email"
    assert cart.get() == before and reminder_item(shop, cart) is None
    unknown = CartApi(shop, cart.base, {"store": STORE, "session": "x" * 43})
    assert unknown.call("PUT", "/email", {"email": ADA}).status == 404


def test_a_change_of_a_cart_with_an_email_is_still_one_write(shop: Cloud) -> None:
    from nozzly.kernel.adapters import aws

    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    shop.apply_environment(shop.environments["Carts"])
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", count)
    cart.add(variant=GILDED)
    aws.client("dynamodb").meta.events.unregister("before-call.dynamodb", count)

    # store + cart + its reminder + session + product; the cart and its reminder together; the snapshot
    # (the public routes' rate limit counts on a client of its own: nozzly.wiring.traffic)
    assert calls == ["BatchGetItem", "TransactWriteItems", "BatchGetItem"]


def test_the_scheduled_function_sends_what_is_due(shop: Cloud) -> None:
    from nozzly.kernel.adapters.unit_of_work import Transaction
    from nozzly.kernel.domain.money import Money
    from nozzly.sales.domain.cart_reminders import snapshot
    from nozzly.sales.domain.carts import Cart, CartLine, CartOwner

    touched = int(time.time()) - HOUR - MINUTE
    line = CartLine("standard", "ember-longsword", "MF-EMBER", "Ember Longsword", "Standard", 1, Money(12900, "EUR"), 0)
    cart = Cart(STORE, CartOwner.GUEST, "left-an-hour-ago", "EUR", (line,), updated_at=touched, version=3)
    repository = CartRemindersRepository(shop.names["CartsTable"])
    Transaction().add("reminder", repository.put_op(snapshot(cart, ADA, time.time()))).commit()

    first = shop.invoke("CartReminders", {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})
    again = shop.invoke("CartReminders", {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})

    assert (first["sent"], first["complete"], again["sent"]) == (1, True, 0)
    assert len(reminders()) == 1


def test_a_guest_cart_merged_into_a_shoppers_is_reminded_of_once_at_the_account_email(shop: Cloud) -> None:
    guest = guest_cart(shop)
    guest.add()
    with_email(guest)
    sam = shopper_cart(shop, "sam@example.com")

    merged = sam.call("POST", "/merge", {"session_id": guest.params["session"]})

    assert merged.status == 200, merged.body
    assert reminder_item(shop, guest) is None  # its lines live in the shopper's cart now
    assert run_at(shop, time.time() + HOUR + MINUTE)["sent"] == 1
    assert (len(reminders()), len(reminders("sam@example.com"))) == (0, 1)


def test_a_run_with_nothing_due_reads_one_index_hour_per_hour_a_stores_delay_may_reach_and_writes_nothing(
    shop: Cloud,
) -> None:
    from nozzly.kernel.adapters import aws

    cart = guest_cart(shop)
    cart.add()
    with_email(cart)  # touched now: nothing is due for an hour
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    run = sender(shop)
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", count)
    report = run.run(time.time())
    aws.client("dynamodb").meta.events.unregister("before-call.dynamodb", count)

    assert report.as_dict() == {"sent": 0, "skipped": 0, "failed": 0, "complete": True}
    # Per stage, every touch hour a store's delay (within the flow's bounds) plus 6 h of catch-up may reach:
    # 1-6 h: 12 hours, 12-48 h: 43, 60-120 h: 67.
    assert calls == ["Query"] * (12 + 43 + 67)


def test_a_failed_send_neither_stops_the_run_nor_loses_the_reminder(shop: Cloud) -> None:
    for address in ("first@example.com", "second@example.com"):
        cart = guest_cart(shop)
        cart.add()
        with_email(cart, address)
    at = time.time() + HOUR + MINUTE

    class FailingOnce(Mailer):
        failed = False

        def send(self, to: str, email: Any) -> str:
            if not FailingOnce.failed:
                FailingOnce.failed = True
                raise RuntimeError("SES is throttling")
            return super().send(to, email)

    flaky = sender(shop)
    flaky = replace(flaky, mailer=FailingOnce(flaky.mailer.sender))
    assert flaky.run(at).as_dict() == {"sent": 1, "skipped": 0, "failed": 1, "complete": True}

    assert run_at(shop, at + 15 * MINUTE)["sent"] == 1  # the next run sends the one that failed
    assert len(reminders("first@example.com")) == len(reminders("second@example.com")) == 1


def test_a_failed_checkout_does_not_send_a_stage_again(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    with_email(cart)
    start = time.time()
    assert run_at(shop, start + HOUR + MINUTE)["sent"] == 1

    checkout = check_out(cart, email=ADA).body["id"]
    step(shop, "reserve", checkout)
    step(shop, "abandon", checkout, error={"Error": "States.Timeout"})

    assert run_at(shop, start + HOUR + 20 * MINUTE)["sent"] == 0
    assert run_at(shop, start + 24 * HOUR + MINUTE)["sent"] == 1  # the cart was not ordered: the next stage comes
    assert len(reminders()) == 2
