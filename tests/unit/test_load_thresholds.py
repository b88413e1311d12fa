"""The load profiles' verdicts: which thresholds a run missed, and when a profile stops by itself."""

from __future__ import annotations

import pytest

from tests.load.shapes import PROFILES, duration_s, stage_at
from tests.load.thresholds import Figures, breaches

pytestmark = pytest.mark.unit
FAST = Figures("all", 1000, 0, 120, 400)


def test_a_fast_clean_run_passes() -> None:
    assert breaches(FAST, [Figures("cart: get", 100, 0, 80, 150), Figures("checkout: start", 20, 0, 300, 600)]) == []


def test_one_percent_errors_fails_the_run() -> None:
    assert breaches(Figures("all", 1000, 10, 120, 400), []) == ["errors 1.00% of 1000 requests (limit < 1%)"]
    assert breaches(Figures("all", 1000, 9, 120, 400), []) == []


def test_slow_tails_fail_the_run_by_name() -> None:
    missed = breaches(
        Figures("all", 1000, 0, 500, 1000),
        [Figures("cart: add item", 50, 0, 300, 310), Figures("checkout: start", 10, 0, 1000, 1200)],
    )
    assert missed == [
        "all requests p95 500 ms (limit < 500 ms)",
        "all requests p99 1000 ms (limit < 1000 ms)",
        "cart: add item p95 300 ms (limit < 300 ms)",
        "checkout: start p95 1000 ms (limit < 1000 ms)",
    ]


def test_a_slow_catalog_page_is_judged_only_by_the_overall_figures() -> None:
    assert breaches(FAST, [Figures("catalog: product list", 100, 0, 450, 900)]) == []


def test_a_run_without_requests_fails() -> None:
    assert breaches(Figures("all", 0, 0, 0, 0), []) == ["no request was made"]


def test_the_spike_goes_from_10_to_200_shoppers_and_every_profile_ends() -> None:
    assert stage_at("spike", 5) == (10, 10)
    users, rate = stage_at("spike", 20) or (0, 0)
    assert users == 200 and 190 / rate <= 10  # the climb from 10 to 200 takes at most 10 s
    for profile in PROFILES:
        assert stage_at(profile, duration_s(profile)) is None
