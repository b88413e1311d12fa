"""Research candidates score as the documented algorithm says: figures worked by hand in each row's comment."""

from __future__ import annotations

import pytest

from nozzly.imports.domain.pricing import CostBand, Ending, PricingRules
from nozzly.kernel.domain.money import Money
from nozzly.research.domain.candidates import Candidate, TrendSignal
from nozzly.research.domain.scoring import (
    ScoringRules,
    competition_points,
    margin_points,
    proof_points,
    rank,
    score,
    shipping_points,
    velocity,
)

pytestmark = pytest.mark.unit

# x2 on the landed cost, up to .99, no compare-at price, no margin guard
DOUBLE = ScoringRules(PricingRules(bands=(CostBand(None, 20_000),), ending=Ending.NINETY_NINE), full_margin=5_000)
SIGNALS = (
    TrendSignal("Best LED desk lamp for students?", upvotes=120, comments=15, age_hours=3),  # (120 + 30) / 3 = 50
    TrendSignal("desk lamp (LED) review", upvotes=40, comments=5, age_hours=0.5),  # (40 + 10) / 1 (at least) = 50
    TrendSignal("Garden hose that does not kink", upvotes=1_000, comments=300, age_hours=1),  # names no lamp
)


def _candidate(title: str, cost: int, shipping: int, days: int, **more: int | None) -> Candidate:
    return Candidate(
        source="feed",
        source_id=title.lower().replace(" ", "-"),
        title=title,
        url=f"https://supplier.example/{title}",
        cost=Money(cost, "EUR"),
        shipping=Money(shipping, "EUR"),
        shipping_days=days,
        **more,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("margin", "full", "points"),
    [(1_349, 5_000, 26), (5_000, 5_000, 100), (9_999, 5_000, 100), (0, 5_000, 0), (-100, 5_000, 0), (499, 1_000, 49)],
)
def test_margin_points_are_linear_up_to_the_stores_full_margin(margin: int, full: int, points: int) -> None:
    assert margin_points(margin, full) == points


@pytest.mark.parametrize(
    ("rating", "orders", "points"),
    [
        (45, 400, 57),  # rating (45 - 30) x 100 / 20 = 75, orders 400 / 10 = 40: (75 + 40) / 2 = 57.5 -> 57
        (50, 1_000, 100),
        (30, 0, 0),  # 3.0 stars earn nothing
        (None, 2_000, 50),  # no rating: 0; orders capped at 100
        (10, 0, 0),  # below 3.0 is not negative
    ],
)
def test_social_proof_is_the_mean_of_rating_and_order_points(rating: int | None, orders: int, points: int) -> None:
    assert proof_points(rating, orders) == points


@pytest.mark.parametrize(("days", "points"), [(0, 100), (5, 100), (9, 80), (15, 50), (24, 5), (25, 0), (40, 0)])
def test_shipping_points_fall_from_5_to_25_days(days: int, points: int) -> None:
    assert shipping_points(days) == points


@pytest.mark.parametrize(("shops", "points"), [(0, 100), (3, 70), (10, 0), (12, 0)])
def test_competition_costs_ten_points_a_shop(shops: int, points: int) -> None:
    assert competition_points(shops) == points


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("LED Desk Lamp", 100),  # both lamp posts name two of led/desk/lamp: 50 + 50
        ("Desk Organiser", 0),  # only "desk" matches: one word of two is not a mention
        ("Garden Hose", 1_600),  # (1000 + 600) / 1
        ("Lamp", 100),  # a one-word title needs its one word
    ],
)
def test_velocity_sums_the_engagement_per_hour_of_posts_naming_the_product(title: str, expected: int) -> None:
    assert velocity(title, SIGNALS) == expected


def test_a_candidates_score_is_the_weighted_sum_worked_by_hand() -> None:
    lamp = _candidate("LED Desk Lamp", 1_000, 250, 9, rating_tenths=45, order_count=400, competitors=3)
    got = score(lamp, DOUBLE, SIGNALS)
    # landed 12.50 x 2 = 25.00 -> 25.99; margin 25.99 - 12.50 = 13.49 -> 1349 x 100 / 5000 = 26 points
    assert (got.price, got.margin, got.velocity) == (2_599, 1_349, 100)
    assert got.points == {"margin": 26, "trend": 100, "proof": 57, "shipping": 80, "competition": 70}
    # 35 x 26 + 25 x 100 + 20 x 57 + 10 x 80 + 10 x 70 = 910 + 2500 + 1140 + 800 + 700
    assert got.total == 6_050


def test_ranking_follows_the_scores_and_breaks_ties_by_landed_cost() -> None:
    lamp = _candidate("LED Desk Lamp", 1_000, 250, 9, rating_tenths=45, order_count=400, competitors=3)  # 60.50
    # landed 40.00 -> 80.99, margin 40.99 -> 81; proof 50; shipping 100; no trend; competition 100:
    # 35 x 81 + 0 + 20 x 50 + 1000 + 1000 = 2835 + 1000 + 2000 = 5835
    chair = _candidate("Ergonomic Chair", 3_500, 500, 3, rating_tenths=40, order_count=500)
    # landed 5.00 -> 10.99, margin 5.99 -> 11; no proof, slow (30 days: 0), 10 shops: 35 x 11 = 385
    cheap_a = _candidate("Phone Strap", 400, 100, 30, competitors=10)
    cheap_b = _candidate("Key Ring", 300, 200, 30, competitors=10)  # same landed cost and score: title decides
    ranked = rank([cheap_a, chair, cheap_b, lamp], DOUBLE, SIGNALS)
    assert [(r.rank, r.candidate.title, r.score.total) for r in ranked] == [
        (1, "LED Desk Lamp", 6_050),
        (2, "Ergonomic Chair", 5_835),
        (3, "Key Ring", 385),
        (4, "Phone Strap", 385),
    ]
