"""The cart and checkout pages' own decisions: form numbers, messages, payment choices, the status page's words."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.shopfront.domain import checkout_form, forms
from nozzly.shopfront.domain.checkout_details import Details


@pytest.mark.parametrize("raw", ["", "two", "-1", "1.5", "100", " "])
def test_a_quantity_that_is_no_whole_number_in_range_is_refused_in_words(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        forms.quantity({"quantity": raw}, minimum=1, maximum=99)
    assert refused.value.message.startswith("Please")
    assert refused.value.field == "quantity"


def test_a_quantity_in_range_is_read_and_zero_only_where_allowed() -> None:
    assert forms.quantity({"quantity": " 3 "}, minimum=1, maximum=99) == 3
    assert forms.quantity({"quantity": "0"}, minimum=0, maximum=99) == 0
    with pytest.raises(InvalidInput):
        forms.quantity({"quantity": "0"}, minimum=1, maximum=99)


def test_a_service_message_becomes_a_sentence() -> None:
    assert forms.sentence("only 2 of SKU-1 left") == "Only 2 of SKU-1 left."
    assert forms.sentence("Done already.") == "Done already."
    assert forms.sentence("") == ""


def test_text_fields_are_trimmed_and_cut_and_non_text_is_empty() -> None:
    assert forms.text({"a": "  hi  "}, "a") == "hi"
    assert forms.text({"a": "x" * 50}, "a", 10) == "x" * 10
    assert forms.text({"a": 3}, "a") == ""
    assert forms.text({}, "a") == ""


def test_missing_address_fields_are_named_with_their_prefix_and_optional_ones_are_not() -> None:
    values = checkout_form.address_values({"ship_name": "Sam", "ship_country": "DE"}, "ship_")
    problems = checkout_form.missing(values, "ship_")

    assert set(problems) == {"ship_line1", "ship_city", "ship_postal_code"}
    assert values["line2"] == ""


def test_stripe_is_offered_only_when_payouts_are_ready_and_its_script_is_known() -> None:
    both = checkout_form.offered_payments(stripe_ready=True, stripe_script=True, square_script=True)
    not_ready = checkout_form.offered_payments(stripe_ready=False, stripe_script=True, square_script=False)

    assert both == ("stripe_payment_intent", "square_card", "cash_on_delivery")
    assert not_ready == ("cash_on_delivery",)


@pytest.mark.parametrize(
    ("status", "method", "secret", "kind"),
    [
        ("processing", "cash_on_delivery", False, "waiting"),
        ("reserved", "stripe_payment_intent", False, "waiting"),
        ("awaiting_payment", "stripe_payment_intent", True, "pay"),
        ("awaiting_payment", "square_card", False, "waiting"),
        ("placed", "stripe_payment_intent", True, "placed"),
        ("failed", "cash_on_delivery", False, "failed"),
    ],
)
def test_the_status_page_follows_the_checkout(status: str, method: str, secret: bool, kind: str) -> None:
    assert checkout_form.status_view(status, method, None, secret).kind == kind


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("card_declined", "your card was declined"),
        ("GENERIC_DECLINE", "your card was declined"),
        ("insufficient_funds", "the card has insufficient funds"),
        ("CVV_FAILURE", "the card's security code is incorrect"),
        ("something_new", "it was refused"),
    ],
)
def test_a_declined_payment_is_said_in_words_and_the_cart_is_kept(code: str, words: str) -> None:
    reason = f"The payment did not go through: {code}. Nothing was charged; please try another card."

    said = checkout_form.failure_text(reason)

    assert said.startswith(f"The payment did not go through: {words}. Nothing was charged")
    assert code not in said
    assert said.endswith("Your cart is still here, so you can try again.")


def test_a_refusal_without_a_code_is_kept_as_said() -> None:
    assert "Frost Sabre (FS-1) is out of stock." in checkout_form.failure_text("Frost Sabre (FS-1) is out of stock")


ADDRESS = {
    "email": "sam@example.com",
    "ship_name": "Sam Shopper",
    "ship_line1": "Hauptstrasse 1",
    "ship_city": "Berlin",
    "ship_postal_code": "10115",
    "ship_country": "de",
}


def test_complete_details_have_no_problems_and_travel_in_hidden_fields() -> None:
    details = Details(ADDRESS | {"billing_same": "yes"})

    assert details.problems() == {}
    assert ("ship_line1", "Hauptstrasse 1") in details.hidden()
    assert not any(name.startswith("bill_") for name, _ in details.hidden())
    assert details.destination().country == "DE"


def test_a_bad_email_and_a_bad_country_are_named_by_their_fields() -> None:
    assert set(Details(ADDRESS | {"email": "not-an-email"}).problems()) == {"email"}
    assert set(Details(ADDRESS | {"ship_country": "Germany"}).problems()) == {"ship_country"}


def test_a_different_billing_address_is_judged_too() -> None:
    details = Details(ADDRESS | {"billing_same": "no", "bill_name": "Kim"})

    assert set(details.problems()) == {"bill_line1", "bill_city", "bill_postal_code", "bill_country"}
    assert details.fields(details.ship).line2 is None
