"""How a candidate is scored: five factors, each worth 0-100 points, weighted to a score of 0-100.00.

- margin (weight 35): the money per sale the store's pricing rules leave after the supplier's cost and
  shipping (the price of `imports/domain/pricing.quote` minus the landed cost). The store's `full_margin`
  (minor units, default 50.00) or more is 100, linear below. Money, not a percentage: a markup rule gives
  most products the same percentage, while the money earned per sale tells them apart.
- trend velocity (25): engagement per hour of the trend posts that name the product: each matching post
  adds (upvotes + 2 x comments) / its age in hours (at least 1); 100 an hour or more is 100, linear below.
- social proof (20): the mean of rating points (3.0 stars or less 0, 5.0 stars 100, linear; no rating 0)
  and order points (1,000 orders or more 100, linear).
- shipping time (10): 5 days or less 100, 25 days or more 0, linear between.
- competition (10): no other shop selling it 100, 10 points less per shop, 10 shops or more 0.

The score is `sum(weight x points)` in hundredths (0-10,000, so 7,215 reads 72.15), integer arithmetic with
every division rounding down, so the same candidate always scores the same. A post names a product when it
contains at least two of the title's words of three letters or more (all of them for a one-word title).
Ties rank by landed cost (cheaper first), then title.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from nozzly.imports.domain.pricing import PricingRules, quote
from nozzly.research.domain.candidates import Candidate, TrendSignal, title_tokens

WEIGHTS: Final = {"margin": 35, "trend": 25, "proof": 20, "shipping": 10, "competition": 10}
DEFAULT_FULL_MARGIN: Final = 5_000
FULL_VELOCITY: Final = 100
FULL_ORDERS: Final = 1_000
FAST_DAYS, SLOW_DAYS = 5, 25


@dataclass(frozen=True, slots=True)
class ScoringRules:
    pricing: PricingRules
    full_margin: int = DEFAULT_FULL_MARGIN  # minor units of the store's currency worth full margin points


@dataclass(frozen=True, slots=True)
class Score:
    total: int  # hundredths of a point, 0-10,000
    points: dict[str, int]  # factor -> 0-100
    price: int  # what the store's rules would charge, minor units
    margin: int  # price - landed cost, minor units
    velocity: int  # engagement per hour, rounded down


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate
    score: Score
    rank: int  # 1 = best


def _clamp(points: int) -> int:
    return min(max(points, 0), 100)


def margin_points(margin: int, full_margin: int) -> int:
    return _clamp(margin * 100 // max(full_margin, 1))


def mentions(title: str, signal: TrendSignal) -> bool:
    words = {w for w in title_tokens(title) if len(w) >= 3}
    said = set(title_tokens(signal.title))
    return bool(words) and len(words & said) >= min(2, len(words))


def velocity(title: str, signals: Iterable[TrendSignal]) -> int:
    rate = sum(
        (max(s.upvotes, 0) + 2 * max(s.comments, 0)) / max(s.age_hours, 1.0) for s in signals if mentions(title, s)
    )
    return int(rate)


def proof_points(rating_tenths: int | None, orders: int) -> int:
    rating = 0 if rating_tenths is None else _clamp((rating_tenths - 30) * 100 // 20)
    return (rating + _clamp(orders * 100 // FULL_ORDERS)) // 2


def shipping_points(days: int) -> int:
    return _clamp((SLOW_DAYS - days) * 100 // (SLOW_DAYS - FAST_DAYS))


def competition_points(competitors: int) -> int:
    return _clamp(100 - 10 * competitors)


def score(candidate: Candidate, rules: ScoringRules, signals: Sequence[TrendSignal]) -> Score:
    priced = quote(rules.pricing, candidate.cost, candidate.shipping)
    margin = priced.price.amount - candidate.landed
    speed = velocity(candidate.title, signals)
    points = {
        "margin": margin_points(margin, rules.full_margin),
        "trend": _clamp(speed * 100 // FULL_VELOCITY),
        "proof": proof_points(candidate.rating_tenths, candidate.order_count),
        "shipping": shipping_points(candidate.shipping_days),
        "competition": competition_points(candidate.competitors),
    }
    total = sum(WEIGHTS[factor] * value for factor, value in points.items())
    return Score(total, points, priced.price.amount, margin, speed)


def rank(candidates: Iterable[Candidate], rules: ScoringRules, signals: Sequence[TrendSignal]) -> list[Ranked]:
    scored = [(c, score(c, rules, signals)) for c in candidates]
    scored.sort(key=lambda pair: (-pair[1].total, pair[0].landed, pair[0].title))
    return [Ranked(c, s, i) for i, (c, s) in enumerate(scored, start=1)]
