"""When a cart's reminders are due, which touch hours a run reads, and what a snapshot keeps of the cart."""

from __future__ import annotations

from itertools import pairwise

import pytest

from nozzly.accounts.domain.accounts import checked_email
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.cart_reminders import (
    CATCH_UP_HOURS,
    HOUR,
    REMINDER_TTL_SECONDS,
    STAGES,
    snapshot,
    stage_due,
    touch_hours,
)
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner

T = 1_800_000_000  # a cart's last change, on an hour boundary
MINUTE = 60


@pytest.mark.parametrize(
    ("idle", "due"),
    [
        (0, None),
        (59 * MINUTE, None),
        (HOUR, 1),
        (HOUR + (CATCH_UP_HOURS * HOUR) - 1, 1),  # a late run still catches up
        ((1 + CATCH_UP_HOURS) * HOUR, None),  # too late for "an hour ago", too early for a day
        (23 * HOUR, None),
        (24 * HOUR, 24),
        (30 * HOUR - 1, 24),
        (72 * HOUR, 72),
        (78 * HOUR - 1, 72),
        (78 * HOUR, None),
        (400 * HOUR, None),
    ],
)
def test_each_stage_is_due_from_its_hour_for_a_few_hours(idle: int, due: int | None) -> None:
    assert stage_due(T, T + idle) == due


def test_a_stage_already_reminded_is_not_due_again_but_the_next_one_is() -> None:
    assert stage_due(T, T + 2 * HOUR, frozenset({1})) is None
    assert stage_due(T, T + 24 * HOUR, frozenset({1})) == 24


def test_the_windows_never_overlap_so_one_run_sends_a_cart_one_email_at_most() -> None:
    for earlier, later in pairwise(STAGES):
        assert earlier + CATCH_UP_HOURS <= later


def test_the_touch_hours_read_reach_every_due_snapshot_for_any_delay_a_store_may_set() -> None:
    now = T + 24 * HOUR + 17 * MINUTE
    hours = touch_hours(24, now)
    assert hours[-1] == (now - 12 * HOUR) // HOUR  # 12 h: the shortest second-stage delay a store may set
    assert hours[0] == (now - (48 + CATCH_UP_HOURS) * HOUR) // HOUR  # 48 h: the longest, plus its catch-up
    for touched in (T, T - (CATCH_UP_HOURS - 1) * HOUR):
        assert stage_due(touched, now) == 24 and touched // HOUR in hours
    for delay in (12, 30, 48):
        touched = int(now - delay * HOUR - 5 * MINUTE)
        assert stage_due(touched, now, delays={24: delay}) == 24 and touched // HOUR in hours


def test_a_stage_turned_off_is_never_due_and_a_changed_delay_moves_its_window() -> None:
    assert stage_due(T, T + 2 * HOUR, delays={24: 24, 72: 72}) is None  # the first stage is off
    assert stage_due(T, T + 24 * HOUR, delays={24: 24, 72: 72}) == 24
    assert stage_due(T, T + 1 * HOUR, delays={1: 3, 24: 24, 72: 72}) is None  # not yet: the store waits 3 h
    assert stage_due(T, T + 3 * HOUR, delays={1: 3, 24: 24, 72: 72}) == 1


def test_a_snapshot_keeps_the_lines_at_the_prices_seen_and_outlives_the_last_stage() -> None:
    line = CartLine("std", "ember-longsword", "MF-1", "Ember Longsword", "Standard", 2, Money(12900, "EUR"), T)
    cart = Cart("forge", CartOwner.GUEST, "s1", "EUR", (line,), updated_at=T, expires_at=T + 24 * HOUR, version=4)

    reminder = snapshot(cart, "ada@example.com", T)

    assert (reminder.touched_at, reminder.cart_version, reminder.cart_id) == (T, 4, "guest:s1")
    assert reminder.subtotal == Money(25800, "EUR") and reminder.as_cart().lines == (line,)
    assert reminder.expires_at - T == REMINDER_TTL_SECONDS > (STAGES[-1] + CATCH_UP_HOURS) * HOUR
    assert reminder.reminded == frozenset() and reminder.checkout is None


def test_an_email_is_normalised_and_anything_else_refused() -> None:
    assert checked_email("  Ada@Example.COM ") == "ada@example.com"
    with pytest.raises(InvalidInput) as refused:
        checked_email("ada at example")
    assert refused.value.field == "email"
