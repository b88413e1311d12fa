"""Imported products' prices follow the store's rules: figures worked by hand in each row's comment."""

from __future__ import annotations

import pytest

from nozzly.imports.domain.pricing import DEFAULT_RULES, CostBand, Ending, PricingRules, quote, with_ending
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

pytestmark = pytest.mark.unit

THIN = PricingRules(bands=(CostBand(None, 12_000),), ending=Ending.NINETY_FIVE, min_margin_bp=3_000)
ROUND = PricingRules(bands=(CostBand(None, 15_000),), ending=Ending.ROUND)


@pytest.mark.parametrize(
    ("rules", "cost", "shipping", "expected"),
    [
        # 4.50 < 10.00: x3 = 13.50, up to .99 = 13.99; compare 13.99 x 1.3 = 18.187 -> 18.19 -> 18.99;
        # margin (13.99 - 4.50) / 13.99 = 67.83 %
        (DEFAULT_RULES, 450, 0, (1399, 1899, 6783, False)),
        # 10.00 is the next band (bounds are exclusive): x2.5 = 25.00 -> 25.99; 25.99 x 1.3 = 33.787 -> 33.79
        # -> 33.99; margin 15.99 / 25.99 = 61.52 %
        (DEFAULT_RULES, 1000, 0, (2599, 3399, 6152, False)),
        # 120.00: x2 = 240.00 -> 240.99 (never below the markup); 240.99 x 1.3 = 313.287 -> 313.29 -> 313.99;
        # margin 120.99 / 240.99 = 50.20 %
        (DEFAULT_RULES, 12_000, 0, (24_099, 31_399, 5020, False)),
        # 300.00 cost + 20.00 shipping: the band is the cost's (x1.6) applied to the landed 320.00 = 512.00
        # -> 512.99; 512.99 x 1.3 = 666.887 -> 666.89 -> 666.99; margin 192.99 / 512.99 = 37.62 %
        (DEFAULT_RULES, 30_000, 2_000, (51_299, 66_699, 3762, False)),
        # x1.2 of 10.00 = 12.00 -> 12.95 leaves 2.95 / 12.95 = 22.78 % < 30 %: the guard's floor is
        # 10.00 / 0.7 = 14.2857 -> 14.29 -> 14.95; margin 4.95 / 14.95 = 33.11 %; no compare-at rule
        (THIN, 1000, 0, (1495, None, 3311, True)),
        # x1.5 of 10.00 = 15.00 already ends in .00
        (ROUND, 1000, 0, (1500, None, 3333, False)),
        # x1.5 of 10.01 = 15.015 -> 15.02 -> 16.00
        (ROUND, 1001, 0, (1600, None, 3743, False)),
    ],
)
def test_quotes_follow_the_rules(
    rules: PricingRules, cost: int, shipping: int, expected: tuple[int, int | None, int, bool]
) -> None:
    got = quote(rules, Money(cost, "EUR"), Money(shipping, "EUR") if shipping else None)
    compare_at = got.compare_at.amount if got.compare_at else None
    assert (got.price.amount, compare_at, got.margin_bp, got.guarded) == expected
    assert got.price.currency == "EUR"


@pytest.mark.parametrize(
    ("amount", "ending", "currency", "expected"),
    [
        (1350, Ending.NINETY_NINE, "EUR", 1399),
        (1399, Ending.NINETY_NINE, "EUR", 1399),
        (1396, Ending.NINETY_FIVE, "EUR", 1495),
        (1395, Ending.NINETY_FIVE, "EUR", 1395),
        (1301, Ending.ROUND, "EUR", 1400),
        (2003, Ending.NINETY_NINE, "JPY", 2003),  # no minor units: nothing to end in .99
    ],
)
def test_endings_round_up_to_the_chosen_digits(amount: int, ending: Ending, currency: str, expected: int) -> None:
    assert with_ending(amount, ending, currency) == expected


def test_a_zero_cost_cannot_be_priced() -> None:
    with pytest.raises(InvalidInput, match="cost above zero"):
        quote(DEFAULT_RULES, Money(0, "EUR"))


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((CostBand(1000, 20_000),), "no upper bound"),
        ((CostBand(5000, 20_000), CostBand(1000, 20_000), CostBand(None, 15_000)), "rise strictly"),
        ((CostBand(None, 9_000),), "at a loss"),
    ],
)
def test_rules_that_make_no_sense_are_refused(bands: tuple[CostBand, ...], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        PricingRules(bands=bands)
