"""The flows' words and the marketing emails' legal footer as the emails show them: a store's subject and intro
replace the defaults, a required flow turned off keeps only its default subject, and every marketing email names
the store's legal name and address next to its unsubscribe link."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.accounts.services import account_emails
from nozzly.catalog.domain.catalog import Store
from nozzly.catalog.emails import stock
from nozzly.marketing.domain.flows import changed, default, first_name
from nozzly.messaging.domain.outgoing_email import OutgoingEmail
from nozzly.messaging.emails.render import render
from nozzly.orders.emails import order_confirmation, orders
from nozzly.orders.emails.review_request import review_request
from nozzly.orders.emails.win_back import win_back
from nozzly.sales.domain.carts import Cart, CartOwner
from nozzly.sales.emails import carts
from tests.unit.test_email_templates import ALERT, ORDER

STORE = Store(store_id="lantern", name="Lantern", currency="EUR", country="DE")
LEGAL = {"legal_name": "Lantern Trading GmbH", "legal_address": "Hauptstr. 1\n10115 Berlin\nDE"}
OPT = "https://shop.example/reminders/opt-out?token=T"
VALUES = {"store_name": "Lantern", "first_name": "Sam", "order_number": "1042", "product_title": "Lamp"}
PLACED = ORDER | {
    "shipping": {"name": "Standard"},
    "shipping_address": {"name": "Sam Lee", "line1": "1 Road", "city": "Berlin", "postal_code": "1", "country": "DE"},
}
MARKETING: dict[str, Any] = {
    "abandoned_cart": lambda s: render(
        "abandoned_cart",
        carts.abandoned_cart(Cart("lantern", CartOwner.GUEST, "s", "EUR"), STORE, s, 1, optout_url=OPT, cart_url="c"),
    ),
    "review_request": lambda s: render(
        "review_request", review_request(ORDER, STORE, s, words=("How was it?", ""), links={}, optout_url=OPT)
    ),
    "back_in_stock": lambda s: render("back_in_stock", stock.back_in_stock(STORE, s, ALERT, optout_url=OPT)),
    "win_back": lambda s: render("win_back", win_back(STORE, s, words=("Hi", ""), shop_url="u", optout_url=OPT)),
}


@pytest.mark.parametrize("name", sorted(MARKETING))
def test_every_marketing_email_ends_with_the_stores_legal_name_address_and_unsubscribe_link(name: str) -> None:
    email: OutgoingEmail = MARKETING[name](LEGAL)

    for body in (email.text, email.html):
        assert "Lantern Trading GmbH" in body and "Hauptstr. 1, 10115 Berlin, DE" in body, name
        assert "Unsubscribe from Lantern's marketing emails" in body.replace("&#39;", "'") and OPT in body, name


@pytest.mark.parametrize("name", sorted(MARKETING))
def test_a_store_without_legal_settings_is_named_by_its_brand(name: str) -> None:
    email: OutgoingEmail = MARKETING[name](None)

    assert "Lantern\n" in email.text.split("--")[-1] and OPT in email.text, name


def test_the_stores_words_lead_the_order_emails_and_the_defaults_are_todays() -> None:
    words = ("Thanks, Sam: order #1042 is ours to pack", "We pack every order by hand.")
    default_email = render("order_confirmation", order_confirmation.context(PLACED, STORE, None))
    custom = render(
        "order_confirmation",
        order_confirmation.context(PLACED, STORE, None) | dict(zip(("subject", "intro"), words, strict=True)),
    )
    shipped = render("order_shipped", orders.shipped(PLACED, STORE, None, {}) | {"intro": "On its way!"})

    assert default_email.subject == "Your Lantern order #1042" and "We pack" not in default_email.text
    assert custom.subject == words[0] and words[1] in custom.text and words[1] in custom.html
    assert shipped.text.startswith("On its way!")
    assert account_emails.welcome("Lantern", words=("Hello from Lantern", "Glad you are here.")).subject == (
        "Hello from Lantern"
    )


def test_a_flow_turned_off_sends_nothing_but_a_required_one_keeps_its_default_subject_without_intro() -> None:
    shipped = changed(default("order_shipped"), {"enabled": False})
    confirmation = changed(
        default("order_confirmation"), {"enabled": False, "subject": "Hi {first_name}", "intro": "Yo"}
    )

    assert default("order_shipped").words(VALUES) == ("Your Lantern order #1042 is on its way", "")
    assert shipped.words(VALUES) is None
    assert confirmation.words(VALUES) == ("Your Lantern order #1042", "")
    assert changed(confirmation, {"enabled": True}).words(VALUES) == ("Hi Sam", "Yo")


@pytest.mark.parametrize(("name", "first"), [("Sam Lee", "Sam"), ("  Ada  ", "Ada"), ("", ""), (None, "")])
def test_first_name_is_the_first_word_of_the_name(name: str | None, first: str) -> None:
    assert first_name(name) == first
