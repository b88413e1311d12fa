"""The checkout pages' own decisions: what the address form must have, which payment choices to show, and what
the status page says for each state of a checkout. The rules of buying stay in sales (CheckoutService)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

ADDRESS_FIELDS: Final = ("name", "line1", "line2", "city", "region", "postal_code", "country")
REQUIRED: Final = {
    "name": "Please enter the name of who receives the parcel.",
    "line1": "Please enter the street and house number.",
    "city": "Please enter the town or city.",
    "postal_code": "Please enter the postal code.",
    "country": "Please enter the country as its two-letter code, like DE.",
}
STRIPE: Final = "stripe_payment_intent"
SQUARE: Final = "square_card"
CASH: Final = "cash_on_delivery"
PAYMENT_LABELS: Final = {
    STRIPE: ("Card", "Visa, Mastercard, American Express: paid securely with Stripe."),
    SQUARE: ("Card (Square)", "Paid securely with Square."),
    CASH: ("Cash on delivery", "Pay the courier when your parcel arrives."),
}


def address_values(form: Mapping[str, object], prefix: str) -> dict[str, str]:
    """The address fields named `{prefix}{field}`, trimmed ("" when absent)."""
    found = {}
    for name in ADDRESS_FIELDS:
        value = form.get(prefix + name)
        found[name] = value.strip()[:400] if isinstance(value, str) else ""
    return found


def missing(values: Mapping[str, str], prefix: str) -> dict[str, str]:
    """What a shopper left empty, by form field name, each in words."""
    return {prefix + name: message for name, message in REQUIRED.items() if not values.get(name)}


def offered_payments(*, stripe_ready: bool, stripe_script: bool, square_script: bool) -> tuple[str, ...]:
    """Cards by Stripe only when the store's payouts are ready (the checkout refuses it otherwise) and the page can
    load Stripe.js; Square when the page can load its SDK; cash on delivery always (the checkout takes it)."""
    offered = []
    if stripe_ready and stripe_script:
        offered.append(STRIPE)
    if square_script:
        offered.append(SQUARE)
    offered.append(CASH)
    return tuple(offered)


@dataclass(frozen=True, slots=True)
class StatusView:
    kind: str  # "waiting" (the page refreshes itself), "pay" (the card form), "placed" or "failed"
    title: str
    message: str


def status_view(status: str, payment_method: str, reason: str | None, has_client_secret: bool) -> StatusView:
    if status == "placed":
        return StatusView("placed", "Thank you for your order", "")
    if status == "failed":
        return StatusView("failed", "Your order was not placed", failure_text(reason))
    if status == "awaiting_payment" and payment_method == STRIPE and has_client_secret:
        return StatusView("pay", "Pay for your order", "Enter your card details to finish your order.")
    if status == "awaiting_payment":
        return StatusView("waiting", "Taking your payment", "This takes a few seconds. Please keep this page open.")
    return StatusView("waiting", "Placing your order", "We are reserving your items. This takes a few seconds.")


# The providers' decline codes a failed payment's reason carries ("The payment did not go through: card_declined."),
# in words a shopper reads (Stripe's decline codes, Square's payment error codes).
DECLINES: Final = {
    "card_declined": "your card was declined",
    "generic_decline": "your card was declined",
    "insufficient_funds": "the card has insufficient funds",
    "expired_card": "the card has expired",
    "invalid_expiration": "the card's expiry date is not valid",
    "incorrect_cvc": "the card's security code is incorrect",
    "cvv_failure": "the card's security code is incorrect",
    "address_verification_failure": "the postal code does not match the card",
    "lost_card": "your card was declined",
    "stolen_card": "your card was declined",
    "processing_error": "the card could not be processed",
    "card_declined_verification_required": "your bank asked to verify the payment",
    "declined": "your card was declined",
}
_CODE = re.compile(r"(did not go through: )([A-Za-z_]+)(\.)")


def failure_text(reason: str | None) -> str:
    """The saga's reason, with a provider's decline code in words, and that the cart is kept (a failed checkout
    releases its cart unchanged)."""
    said = " ".join((reason or "The checkout could not be completed.").split())
    said = _CODE.sub(lambda m: m.group(1) + DECLINES.get(m.group(2).lower(), "it was refused") + m.group(3), said)
    said = said[0].upper() + said[1:]
    if not said.endswith((".", "!", "?")):
        said += "."
    return f"{said} Your cart is still here, so you can try again."
