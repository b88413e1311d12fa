"""Stripe's test cards in localstripe, as Stripe treats them (the Stripe peer, stripe_peer.py, installs these).

- Cards that decline when charged (generic, insufficient funds, lost, stolen, expired, CVC, processing), not when
  the PaymentMethod is made, as on Stripe; test PaymentMethod ids localstripe does not know (pm_card_chargeDeclined).
- A PaymentMethod made from a card's fields with the publishable key, as Stripe.js makes one.
- Stripe.js: localstripe's stand-in plus stripe_js_addition.js (labelled card fields; confirmCardPayment creates
  a PaymentMethod with the publishable key and confirms the PaymentIntent with it).
- State in memory only: localstripe would otherwise pickle to a shared /tmp file (peer_state.py keeps it instead).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from localstripe import resources
from localstripe.errors import UserError

# Declined when charged (Stripe's generic, insufficient-funds, lost, stolen, expired, CVC, processing cards).
DECLINED_WHEN_CHARGED = frozenset(
    {
        "4000000000000002",
        "4000000000009995",
        "4000000000009987",
        "4000000000009979",
        "4000000000000069",
        "4000000000000127",
        "4000000000000119",
    }
)
# Stripe's test PaymentMethod ids localstripe does not know.
TEST_PAYMENT_METHODS = {
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_authenticationRequired": "4000002500003155",
    "pm_card_threeDSecure2Required": "4000000000003220",
}


@cache
def stripe_js() -> str:
    """localstripe's Stripe.js stand-in, then Nozzly's addition (it replaces the card element and the confirm)."""
    import localstripe

    base = (Path(localstripe.__file__).parent / "localstripe-v3.js").read_text()
    return base + (Path(__file__).parent / "stripe_js_addition.js").read_text()


def in_memory() -> None:
    resources.Store.dump_to_disk = lambda self: None
    resources.Store.try_load_from_disk = lambda self: None


def stripe_like_cards() -> None:
    charging_declined = resources.PaymentMethod._charging_is_declined

    def declined(self: Any) -> bool:
        return bool(charging_declined(self)) or (
            self.type == "card" and getattr(self, "_card_number", None) in DECLINED_WHEN_CHARGED
        )

    resources.PaymentMethod._charging_is_declined = declined
    canonical = resources.PaymentMethod._try_get_canonical_test_article.__func__

    def test_article(cls: Any, pm_id: str) -> Any:
        number = TEST_PAYMENT_METHODS.get(pm_id)
        if number:
            card = {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"}
            return resources.PaymentMethod(type="card", card=card)
        return canonical(cls, pm_id)

    resources.PaymentMethod._try_get_canonical_test_article = classmethod(test_article)


def card_payment_method(data: dict[str, Any]) -> dict[str, Any]:
    """What Stripe.js does with the publishable key: a PaymentMethod from the card's fields."""
    if not str(data.get("key", "")).startswith("pk_"):
        raise UserError(401, "Unauthorized")
    given = data.get("card")
    card: dict[str, Any] = given if isinstance(given, dict) else {}
    fields = {k: str(card.get(k, "")) for k in ("number", "exp_month", "exp_year", "cvc")}
    try:
        method = resources.PaymentMethod._api_create(type="card", card=fields)
    except UserError:
        raise UserError(402, "Your card details are not valid.", {"type": "card_error"}) from None
    return method._export()  # type: ignore[no-any-return]
