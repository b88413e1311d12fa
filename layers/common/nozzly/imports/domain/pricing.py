"""A store's pricing rules for imported products: markup by cost band, a psychological ending, a compare-at
price and a minimum-margin guard. Integer minor units throughout; every division rounds up, so a price is
never below what the rule asks for.

The order matters and is the rule: cost x the band's markup, then the ending (rounded up to it), then the
margin guard (raised to the smallest price that keeps the minimum margin, and to the ending again), then
the compare-at price from the final price (rounded up to the ending; dropped unless it is above the price).
Margin is (price - landed cost) / price, landed cost being the supplier's cost plus shipping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money, minor_unit_exponent

BASIS = 10_000


class Ending(StrEnum):
    """The last two minor digits of a price (for a currency without minor units: no ending is applied)."""

    NINETY_NINE = "99"
    NINETY_FIVE = "95"
    ROUND = "00"


@dataclass(frozen=True, slots=True)
class CostBand:
    """Costs below `below` (minor units; None: no upper bound) are marked up by `markup_bp` (25000 = x2.5)."""

    below: int | None
    markup_bp: int


@dataclass(frozen=True, slots=True)
class PricingRules:
    bands: tuple[CostBand, ...]
    ending: Ending = Ending.NINETY_NINE
    compare_at_bp: int = 0  # 13000: the compare-at price is 130 % of the price; 0: none
    min_margin_bp: int = 0  # 3000: at least 30 % of the price is margin

    def __post_init__(self) -> None:
        if not self.bands or self.bands[-1].below is not None:
            raise InvalidInput("the last cost band must have no upper bound", field="bands")
        bounds = [b.below for b in self.bands[:-1]]
        if any(b is None or b <= 0 for b in bounds) or bounds != sorted(set(bounds)):  # type: ignore[type-var]
            raise InvalidInput("cost bands must rise strictly", field="bands")
        if any(b.markup_bp < BASIS for b in self.bands):
            raise InvalidInput("a markup below x1.0 sells at a loss", field="bands")
        if not 0 <= self.min_margin_bp < BASIS:
            raise InvalidInput("the minimum margin must be from 0 to 99.99 %", field="min_margin_bp")
        if self.compare_at_bp and self.compare_at_bp <= BASIS:
            raise InvalidInput("a compare-at price must be above the price", field="compare_at_bp")


DEFAULT_RULES = PricingRules(
    bands=(CostBand(1_000, 30_000), CostBand(5_000, 25_000), CostBand(20_000, 20_000), CostBand(None, 16_000)),
    ending=Ending.NINETY_NINE,
    compare_at_bp=13_000,
    min_margin_bp=3_000,
)


@dataclass(frozen=True, slots=True)
class Quote:
    price: Money
    compare_at: Money | None
    margin_bp: int  # the margin the price leaves, rounded down
    guarded: bool  # the minimum-margin guard raised the price


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def with_ending(amount: int, ending: Ending, currency: str) -> int:
    """The smallest amount >= `amount` whose last two minor digits are the ending."""
    if minor_unit_exponent(currency) < 2:
        return amount
    hundred, rest = divmod(amount, 100)
    target = int(ending.value)
    return hundred * 100 + target if rest <= target else (hundred + 1) * 100 + target


def markup_bp(rules: PricingRules, cost: int) -> int:
    return next(b.markup_bp for b in rules.bands if b.below is None or cost < b.below)


def quote(rules: PricingRules, cost: Money, shipping: Money | None = None) -> Quote:
    """The price of a product the store buys at `cost` (+ `shipping` to the shopper's door, if it pays it)."""
    landed = cost.amount + (shipping.amount if shipping else 0)
    if cost.amount <= 0 or landed <= 0:
        raise InvalidInput("an imported product needs a cost above zero", field="cost")
    currency = cost.currency
    price = with_ending(_ceil_div(landed * markup_bp(rules, cost.amount), BASIS), rules.ending, currency)
    guarded = False
    if rules.min_margin_bp and (price - landed) * BASIS < rules.min_margin_bp * price:
        floor = _ceil_div(landed * BASIS, BASIS - rules.min_margin_bp)
        price, guarded = with_ending(floor, rules.ending, currency), True
    compare_at = None
    if rules.compare_at_bp:
        above = with_ending(_ceil_div(price * rules.compare_at_bp, BASIS), rules.ending, currency)
        compare_at = Money(above, currency) if above > price else None
    return Quote(Money(price, currency), compare_at, (price - landed) * BASIS // price, guarded)


def rules_from_data(raw: Mapping[str, Any] | None) -> PricingRules:
    """A store's markup rules as saved (`{"bands": [{"below", "markup_bp"}], "ending", "compare_at_bp",
    "min_margin_bp"}`), judged; absent: DEFAULT_RULES."""
    if not raw:
        return DEFAULT_RULES
    try:
        bands = tuple(CostBand(b.get("below"), int(b["markup_bp"])) for b in raw["bands"])
        return PricingRules(
            bands=bands,
            ending=Ending(str(raw.get("ending", "99"))),
            compare_at_bp=int(raw.get("compare_at_bp", 0)),
            min_margin_bp=int(raw.get("min_margin_bp", 0)),
        )
    except (KeyError, ValueError, TypeError, AttributeError):
        needs = "markup needs bands of {below, markup_bp} and an ending of 99, 95 or 00"
        raise InvalidInput(needs, field="markup") from None


def rules_to_data(rules: PricingRules) -> dict[str, Any]:
    return {
        "bands": [{"below": b.below, "markup_bp": b.markup_bp} for b in rules.bands],
        "ending": rules.ending.value,
        "compare_at_bp": rules.compare_at_bp,
        "min_margin_bp": rules.min_margin_bp,
    }
