"""The cart and checkout pages' own decisions: form numbers, messages, payment choices, the status page's words."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.shopfront.domain import checkout_form, forms


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


def test_a_failure_says_what_happened_and_that_the_cart_is_kept() -> None:
    said = checkout_form.failure_text("The payment did not go through: declined. Nothing was charged")

    assert said.startswith("Your card was declined. The payment did not go through")
    assert said.endswith("Your cart is still here, so you can try again.")
    assert "Frost Sabre (FS-1) is out of stock." in checkout_form.failure_text("Frost Sabre (FS-1) is out of stock")
