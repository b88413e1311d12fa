"""The opt-out link every reminder carries: an unguessable token, kept for one address, and where it points."""

from __future__ import annotations

from dataclasses import replace

from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.cart_reminders import (
    OPTOUT_LINK_TTL_SECONDS,
    REMINDER_TTL_SECONDS,
    looks_like_optout_token,
    new_optout_token,
    optout_url,
    snapshot,
)
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner

T = 1_800_000_000
LINE = CartLine("std", "ember-longsword", "MF-1", "Ember Longsword", "Standard", 1, Money(12900, "EUR"), T)
CART = Cart("forge", CartOwner.GUEST, "s1", "EUR", (LINE,), updated_at=T, expires_at=T + 86400, version=1)
API = "https://abc.execute-api.eu-central-1.amazonaws.com"


def test_tokens_are_random_url_safe_and_recognisable() -> None:
    tokens = {new_optout_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(looks_like_optout_token(t) and len(t) == 32 for t in tokens)  # 192 random bits each


def test_anything_but_a_token_is_not_looked_up() -> None:
    token = new_optout_token()
    for bad in ("", token[:-1], token + "A", token[:-1] + "#", "../" + token[3:], f" {token[1:]}"):
        assert not looks_like_optout_token(bad), bad


def test_a_new_snapshot_keeps_the_carts_token_for_the_same_address_only() -> None:
    first = replace(snapshot(CART, "ada@example.com", T), optout_token="t" * 32)
    changed = replace(CART, version=2, updated_at=T + 60)

    assert snapshot(changed, "ada@example.com", T + 60, previous=first).optout_token == "t" * 32
    # A token stands for the address it was sent to: another address gets its own with its first email.
    assert snapshot(changed, "bob@example.com", T + 60, previous=first).optout_token is None
    assert snapshot(changed, "ada@example.com", T + 60).optout_token is None


def test_a_link_outlives_the_reminders_it_came_with() -> None:
    assert OPTOUT_LINK_TTL_SECONDS > 10 * REMINDER_TTL_SECONDS


def test_the_link_opens_the_storefronts_page_when_there_is_one_else_the_api_route() -> None:
    assert (
        optout_url("forge", "tok", "https://shop.example/", API) == "https://shop.example/reminders/opt-out?token=tok"
    )
    assert optout_url("forge", "tok", None, API + "/") == f"{API}/shop/forge/account/reminders/opt-out?token=tok"
    assert optout_url("forge", "tok", "", API) == f"{API}/shop/forge/account/reminders/opt-out?token=tok"
