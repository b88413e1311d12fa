"""Tax on a sale, from lines already discounted, the shipping price and the store's rules for the destination.

The rules, stated once:
- A coupon is taken off before tax. Its discount is shared over the lines it applies to in proportion to their
  amounts (to the last minor unit, largest remainders first), so each tax rate is charged on what was paid.
- Taxed shipping is shared over the rates in proportion to the goods taxed at each rate after discounts (the EU
  rule for a mixed parcel); with no goods left to tax it takes the standard rate.
- Prices net of tax: tax = base x rate / 10000, added on top. Prices including tax: the price already contains
  tax = base x rate / (10000 + rate), and nothing is added.
- Rounded to the minor unit per line (each line's and the shipping's tax rounded, then summed) or per order (the
  bases of each rate summed, then rounded once per rate), half-even or half-up, as the store chose.
- The tax is always exactly the sum of its parts per rate, and the total exactly subtotal - discount + shipping
  (+ tax when prices are net).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nozzly.kernel.domain.money import Money
from nozzly.stores.domain.tax_rules import AppliedTax, RoundingMode, TaxRounding


@dataclass(frozen=True, slots=True)
class TaxPortion:
    """Tax at one rate: the net amount it was charged on, and the tax."""

    basis_points: int
    net: Money
    tax: Money


@dataclass(frozen=True, slots=True)
class TaxBase:
    """An amount to tax (a line after its share of the discount, or a share of the shipping), at one rate."""

    amount: Money
    basis_points: int


def divide(numerator: int, denominator: int, mode: RoundingMode) -> int:
    """numerator / denominator rounded to an integer; both non-negative (amounts and rates are)."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and (mode is RoundingMode.HALF_UP or quotient % 2 == 1)):
        quotient += 1
    return quotient


def tax_of(amount: int, basis_points: int, rules: AppliedTax) -> int:
    """The tax an amount carries at a rate: on top of a net amount, or inside a gross one."""
    if rules.prices_include_tax:
        return divide(amount * basis_points, 10_000 + basis_points, rules.mode)
    return divide(amount * basis_points, 10_000, rules.mode)


def shared(amount: Money, weights: Sequence[int]) -> list[Money]:
    """amount split in proportion to weights (exactly, to the minor unit); all to nothing if every weight is 0."""
    if amount.amount == 0 or not any(weights):
        return [Money.zero(amount.currency) for _ in weights]
    return amount.allocate(list(weights))


def bases(lines: Sequence[TaxBase], discounts: Sequence[Money], shipping: Money, rules: AppliedTax) -> list[TaxBase]:
    """What is taxed at which rate: each line less its discount, then shipping's shares if shipping is taxed."""
    goods = [TaxBase(line.amount - off, line.basis_points) for line, off in zip(lines, discounts, strict=True)]
    if not rules.tax_shipping or shipping.amount == 0:
        return goods
    rates = sorted({g.basis_points for g in goods if g.amount.amount > 0})
    if not rates:
        return [*goods, TaxBase(shipping, rules.standard_bp)]
    weights = [sum(g.amount.amount for g in goods if g.basis_points == r) for r in rates]
    return [*goods, *(TaxBase(part, r) for part, r in zip(shared(shipping, weights), rates, strict=True))]


def portions(taxed: Sequence[TaxBase], currency: str, rules: AppliedTax) -> tuple[TaxPortion, ...]:
    """Tax per rate, highest rate first, rounded per line or per order."""
    found: dict[int, tuple[int, int]] = {}  # rate -> (sum of bases, sum of tax)
    for base in taxed:
        amount, tax = found.get(base.basis_points, (0, 0))
        line_tax = tax_of(base.amount.amount, base.basis_points, rules) if rules.rounding is TaxRounding.PER_LINE else 0
        found[base.basis_points] = (amount + base.amount.amount, tax + line_tax)
    result = []
    for rate in sorted(found, reverse=True):
        amount, tax = found[rate]
        if rules.rounding is TaxRounding.PER_ORDER:
            tax = tax_of(amount, rate, rules)
        net = amount - tax if rules.prices_include_tax else amount
        result.append(TaxPortion(rate, Money(net, currency), Money(tax, currency)))
    return tuple(result)
