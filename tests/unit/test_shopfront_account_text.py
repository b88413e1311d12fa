"""The account pages' pure decisions: where a login may send the shopper, and words for statuses and waits."""

from __future__ import annotations

import pytest

from nozzly.shopfront.domain.account_text import local_next, status_words, wait_words
from nozzly.shopfront.domain.forms import sentence
from nozzly.shopfront.domain.forms import text as field

BASE = "/shop/mystmereforge"


@pytest.mark.parametrize(
    "path",
    ["/shop/mystmereforge", "/shop/mystmereforge/account/orders", "/shop/mystmereforge/cart?step=2"],
)
def test_a_path_of_the_stores_pages_is_kept(path: str) -> None:
    assert local_next(path, BASE) == path


@pytest.mark.parametrize(
    "path",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/shop/mystmereforge",
        "/\\evil.example",
        "/shop/mystmereforge-evil/account",
        "/shop/other-shop/account",
        "/shop/mystmereforge/\naccount",
        "shop/mystmereforge/account",
        "/shop/mystmereforge/" + "a" * 1000,
    ],
)
def test_anything_else_is_refused(path: str | None) -> None:
    assert local_next(path, BASE) is None


def test_on_the_stores_own_domain_any_local_path_will_do() -> None:
    assert local_next("/account/orders", "") == "/account/orders"
    assert local_next("//evil.example", "") is None


def test_fields_are_trimmed_text_and_anything_else_is_empty() -> None:
    form: dict[str, object] = {"name": "  Sam  ", "file": object(), "long": "x" * 50}

    assert (field(form, "name"), field(form, "file"), field(form, "missing")) == ("Sam", "", "")
    assert field(form, "long", 10) == "x" * 10


def test_service_messages_read_as_sentences() -> None:
    assert sentence("the password needs  at least 8 characters") == "The password needs at least 8 characters."
    assert sentence("Done!") == "Done!"
    assert sentence("") == ""


def test_statuses_and_waits_in_plain_words() -> None:
    assert status_words("pending") == "Received"
    assert status_words("on_hold") == "On hold"
    assert (wait_words(30), wait_words(61), wait_words(900)) == ("a minute", "2 minutes", "15 minutes")
