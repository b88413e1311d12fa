"""Win-back windows and the flows' click and conversion rules, pure: a window is named by its order (once per
address and window), falls due after the store's delay and is dropped after the catch-up; a tracked link's token
carries its store; an order converts a click within 7 days of it, once."""

from __future__ import annotations

import pytest

from nozzly.marketing.domain.flow_stats import (
    CONVERSION_WINDOW_SECONDS,
    Click,
    converts,
    link_token,
    new_link,
    parse_token,
    tracked_url,
)
from nozzly.orders.domain.win_back import DAY, due_day, due_days, last_order, shop_url, too_late

T = 1_780_000_000  # 2026-05-28


def test_a_window_is_due_after_the_delay_and_named_by_its_order() -> None:
    first = last_order("lantern", " Sam@Example.com ", T, 30 * DAY)
    second = last_order("lantern", "sam@example.com", T + DAY, 30 * DAY)

    assert (first.email, first.due_at) == ("sam@example.com", T + 30 * DAY)
    assert first.window != second.window  # a new order opens a new window: a new email later
    assert last_order("lantern", "sam@example.com", T, 30 * DAY).window == first.window  # a retry: the same


def test_the_run_reads_today_and_the_catch_up_days_and_drops_what_is_older() -> None:
    assert due_days(T) == [due_day(T - 3 * DAY), due_day(T - 2 * DAY), due_day(T - DAY), due_day(T)]
    assert due_day(T) == "WINBACKDUE#2026-05-28"
    assert not too_late(T, T + 3 * DAY) and too_late(T, T + 3 * DAY + 1)


def test_the_email_leads_to_the_storefront_or_the_shop_pages() -> None:
    assert shop_url("lantern", "https://lantern.example/", "https://api") == "https://lantern.example/"
    assert shop_url("lantern", None, "https://api/") == "https://api/shop/lantern/"


def test_a_tracked_links_token_carries_its_store_and_goes_through_the_redirect_route() -> None:
    link = new_link("lantern", "win_back", "https://lantern.example/", "Sam@Example.com", T)

    assert parse_token(link.token) == ("lantern", link.nonce) and link.email == "sam@example.com"
    assert tracked_url("https://api/", link) == f"https://api/r/lantern.{link.nonce}"
    assert link.expires_at > T + 30 * DAY


@pytest.mark.parametrize(
    "token", ["", "lantern", "lantern.short", "Lantern." + "a" * 22, "lan tern." + "a" * 22, "x." + "a" * 23]
)
def test_anything_else_is_not_a_token(token: str) -> None:
    assert parse_token(token) is None
    assert parse_token(link_token("lantern", "a" * 22)) is not None


@pytest.mark.parametrize(
    ("ordered_at", "converted_by", "counts"),
    [
        (T, None, True),
        (T + CONVERSION_WINDOW_SECONDS, None, True),
        (T + CONVERSION_WINDOW_SECONDS + 1, None, False),  # more than 7 days after the click
        (T - 1, None, False),  # an order before the click
        (T + 60, "o1", False),  # the click converted already
    ],
)
def test_an_order_within_seven_days_of_a_click_converts_it_once(
    ordered_at: int, converted_by: str | None, counts: bool
) -> None:
    click = Click("lantern", "sam@example.com", "win_back", T, converted_by)

    assert converts(click, ordered_at) is counts
    assert converts(None, ordered_at) is False
