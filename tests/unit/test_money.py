"""Money: integer minor units plus a currency; arithmetic that never loses or invents a cent."""

from __future__ import annotations

import operator
import random
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money

pytestmark = pytest.mark.unit


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def test_adding_and_subtracting_same_currency() -> None:
    assert eur(150) + eur(250) == eur(400)
    assert eur(150) - eur(250) == eur(-100)
    assert Money.zero("JPY") + Money(500, "JPY") == Money(500, "JPY")


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge])
def test_mixing_currencies_is_refused(op: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        op(eur(100), Money(100, "USD"))
    assert caught.value.field == "currency"


@pytest.mark.parametrize("amount", [1.5, 10.0, True, False, Decimal("1.50"), "150", None])
def test_amount_must_be_a_whole_number_of_minor_units(amount: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        Money(amount, "EUR")
    assert caught.value.field == "amount"


@pytest.mark.parametrize("currency", ["XXX", "eur", "", "EURO", "BTC"])
def test_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Money(100, currency)
    assert caught.value.field == "currency"


def test_multiplying_by_a_whole_quantity() -> None:
    assert eur(250) * 3 == eur(750)
    assert 3 * eur(250) == eur(750)
    assert eur(250) * 0 == eur(0)


@pytest.mark.parametrize("quantity", [1.5, 2.0, True, Decimal(2), "2"])
def test_multiplying_by_anything_but_an_int_is_refused(quantity: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        eur(250) * quantity
    assert caught.value.field == "quantity"


def test_comparisons() -> None:
    assert eur(100) < eur(101)
    assert eur(100) <= eur(100)
    assert not eur(101) <= eur(100)
    assert eur(-1).is_negative
    assert not eur(0).is_negative


@pytest.mark.parametrize(
    ("amount", "basis_points", "expected"),
    [
        (50, 100, 0),  # 0.5 -> 0 (even)
        (150, 100, 2),  # 1.5 -> 2 (even)
        (250, 100, 2),  # 2.5 -> 2 (even)
        (350, 100, 4),  # 3.5 -> 4 (even)
        (-50, 100, 0),  # -0.5 -> 0
        (-150, 100, -2),  # -1.5 -> -2
        (-250, 100, -2),  # -2.5 -> -2
        (1001, 1000, 100),  # 100.1 -> 100
        (1999, 2000, 400),  # 399.8 -> 400
        (1234, 10_000, 1234),  # 100 %
        (1234, 0, 0),
        (1999, 1950, 390),  # 19.5 % VAT of 19.99: 389.805 -> 390
    ],
)
def test_percent_rounds_half_to_even(amount: int, basis_points: int, expected: int) -> None:
    assert eur(amount).percent(basis_points) == eur(expected)


def test_percent_agrees_with_decimal_bankers_rounding() -> None:
    for amount in range(-2000, 2000, 7):
        for bps in (1, 5, 33, 50, 125, 250, 1950, 2000, 9999):
            exact = Decimal(amount) * bps / 10_000
            expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
            assert eur(amount).percent(bps).amount == expected, (amount, bps)


def test_percent_keeps_the_currency() -> None:
    assert Money(1000, "KWD").percent(500) == Money(50, "KWD")


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        (1000, [70, 30], [700, 300]),
        (10, [1, 2], [3, 7]),  # 3.33 / 6.67: the leftover cent goes to the larger fraction
        (100, [0, 1], [0, 100]),
        (0, [1, 1], [0, 0]),
        (1, [1, 1, 1], None),  # one cent, three parts
        (100, [1, 1, 1], None),
        (-100, [1, 1, 1], None),
    ],
)
def test_allocate_hand_examples(amount: int, weights: list[int], expected: list[int] | None) -> None:
    parts = eur(amount).allocate(weights)
    assert sum(p.amount for p in parts) == amount
    assert {p.currency for p in parts} == {"EUR"}
    if expected is not None:
        assert [p.amount for p in parts] == expected
    if len(set(weights)) == 1:
        assert max(p.amount for p in parts) - min(p.amount for p in parts) <= 1


def test_allocate_three_ways_of_a_euro() -> None:
    assert sorted(p.amount for p in eur(100).allocate([1, 1, 1])) == [33, 33, 34]
    assert sorted(p.amount for p in eur(-100).allocate([1, 1, 1])) == [-34, -33, -33]


def test_allocate_never_loses_or_creates_a_minor_unit() -> None:
    rng = random.Random(20240601)
    amounts = [*range(-60, 400, 3), 99_999, 1_000_001, -7_777_777]
    for amount in amounts:
        for n in range(1, 8):
            equal = eur(amount).allocate([1] * n)
            assert sum(p.amount for p in equal) == amount, (amount, n)
            assert max(p.amount for p in equal) - min(p.amount for p in equal) <= 1, (amount, n)

            weights = [rng.randint(0, 50) for _ in range(n - 1)] + [rng.randint(1, 50)]
            parts = eur(amount).allocate(weights)
            total = sum(weights)
            assert len(parts) == n
            assert sum(p.amount for p in parts) == amount, (amount, weights)
            for part, weight in zip(parts, weights, strict=True):
                # each part is the exact proportional share rounded down or up, never further off
                assert abs(part.amount * total - amount * weight) < total, (amount, weights)


@pytest.mark.parametrize("weights", [[], [0, 0], [-1, 2], [0]])
def test_allocate_refuses_bad_weights(weights: list[int]) -> None:
    with pytest.raises(InvalidInput) as caught:
        eur(100).allocate(weights)
    assert caught.value.field == "weights"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (1250, "EUR", "12.50"),
        (5, "EUR", "0.05"),
        (0, "EUR", "0.00"),
        (123_456_789, "EUR", "1234567.89"),
        (-5, "EUR", "-0.05"),
        (-1250, "EUR", "-12.50"),
        (1250, "JPY", "1250"),
        (0, "JPY", "0"),
        (-7, "JPY", "-7"),
        (1250, "KWD", "1.250"),
        (5, "KWD", "0.005"),
        (-1, "KWD", "-0.001"),
        (-12_345, "KWD", "-12.345"),
    ],
)
def test_to_decimal_string(amount: int, currency: str, text: str) -> None:
    assert Money(amount, currency).to_decimal_string() == text


@pytest.mark.parametrize("bad", [1.5, True])
def test_percent_needs_whole_basis_points(bad: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        Money(1000, "EUR").percent(bad)
    assert caught.value.field == "basis_points"


def test_allocate_needs_whole_weights() -> None:
    with pytest.raises(InvalidInput) as caught:
        Money(1000, "EUR").allocate([1, 0.5])  # type: ignore[list-item]
    assert caught.value.field == "weights"
