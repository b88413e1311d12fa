"""Tax as a shop owner's accountant would check it: every figure below was worked out by hand (the comment shows
the sum), then a property: whatever the cart, the tax is the sum of its rates and the total the sum of its parts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nozzly.kernel.domain.money import Money
from nozzly.promotions.domain.coupons import Coupon, CouponKind, CouponNotApplicable
from nozzly.sales.domain.pricing import CouponUse, PricedLine, price
from nozzly.stores.domain.tax_rules import (
    AppliedTax,
    RoundingMode,
    TaxClass,
    TaxRounding,
    tax_settings,
    tax_zone,
)
from nozzly.stores.domain.zones import Destination

pytestmark = pytest.mark.unit
CLASSES = {"books": TaxClass.REDUCED, "gift-cards": TaxClass.ZERO}


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def de(**rules: object) -> AppliedTax:
    """Germany: 19 % standard, 7 % reduced; books reduced, gift cards zero-rated."""
    values: dict[str, object] = {"standard_bp": 1900, "reduced_bp": 700, "category_classes": CLASSES} | rules
    return AppliedTax(**values)  # type: ignore[arg-type]


def item(amount: int, category: str = "general", slug: str = "") -> PricedLine:
    return PricedLine(eur(amount), slug or f"{category}-{amount}", (category,))


def percent_off(bp: int, *categories: str) -> CouponUse:
    restricted = frozenset(categories)
    return CouponUse(Coupon("s", "C", CouponKind.PERCENT, bp, "EUR", categories=restricted))


def fixed_off(amount: int) -> CouponUse:
    return CouponUse(Coupon("s", "C", CouponKind.FIXED, amount, "EUR"))


US = tax_settings(
    [
        tax_zone("United States", ["US"], standard_bp=0),
        tax_zone("California", ["US"], regions=["CA"], standard_bp=725),
        tax_zone("Los Angeles", ["US"], regions=["CA"], postal_prefixes=["900"], standard_bp=950),
    ]
)


@dataclass(frozen=True)
class Case:
    lines: list[PricedLine]
    tax: AppliedTax
    expected_tax: int
    expected_total: int
    shipping: int = 0
    coupon: CouponUse | None = None
    portions: list[tuple[int, int, int]] = field(default_factory=list)  # (rate, net, tax); [] = not checked


CASES = {
    # ---- prices net of tax: tax added on top
    "net, one standard line": Case([item(1000)], de(), 190, 1190, portions=[(1900, 1000, 190)]),
    "net, a reduced-rate book": Case([item(1000, "books")], de(), 70, 1070, portions=[(700, 1000, 70)]),
    "net, a zero-rated gift card": Case([item(1000, "gift-cards")], de(), 0, 1000, portions=[(0, 1000, 0)]),
    # 10.00 x 19 % = 1.90; 20.00 x 7 % = 1.40
    "net, two rates in one cart": Case(
        [item(1000), item(2000, "books")], de(), 330, 3330, portions=[(1900, 1000, 190), (700, 2000, 140)]
    ),
    # (10.00 + 4.90) x 19 % = 2.831 -> 2.83
    "net, taxed shipping": Case([item(1000)], de(), 283, 1773, shipping=490, portions=[(1900, 1490, 283)]),
    # shipping untaxed: 10.00 x 19 % = 1.90, plus 4.90 shipping
    "net, untaxed shipping": Case([item(1000)], de(tax_shipping=False), 190, 1680, shipping=490),
    # shipping 4.00 shared 1:3 by goods value: 1.00 at 19 %, 3.00 at 7 %; (10 + 1) x 19 % = 2.09, (30 + 3) x 7 % = 2.31
    "net, shipping shared over two rates": Case(
        [item(1000), item(3000, "books")],
        de(),
        440,
        4840,
        shipping=400,
        portions=[(1900, 1100, 209), (700, 3300, 231)],
    ),
    # ---- prices including tax: the tax is inside
    # 11.90 x 19 / 119 = 1.90
    "gross, one standard line": Case(
        [item(1190)], de(prices_include_tax=True), 190, 1190, portions=[(1900, 1000, 190)]
    ),
    # 10.70 x 7 / 107 = 0.70
    "gross, a reduced-rate book": Case([item(1070, "books")], de(prices_include_tax=True), 70, 1070),
    # (11.90 + 5.95) x 19 / 119 = 2.85
    "gross, taxed shipping": Case(
        [item(1190)], de(prices_include_tax=True), 285, 1785, shipping=595, portions=[(1900, 1500, 285)]
    ),
    # shipping untaxed and added as it is: 11.90 contains 1.90
    "gross, untaxed shipping": Case(
        [item(1190)], de(prices_include_tax=True, tax_shipping=False), 190, 1690, shipping=500
    ),
    # 119.00 less 10 % = 107.10, which contains 107.10 x 19 / 119 = 17.10
    "gross, a coupon before tax": Case(
        [item(11900)], de(prices_include_tax=True), 1710, 10710, coupon=percent_off(1000)
    ),
    # ---- coupons come off before tax, on the lines they apply to
    # 100.00 less 10 % = 90.00; x 19 % = 17.10
    "net, a percent coupon": Case([item(10000)], de(), 1710, 10710, coupon=percent_off(1000)),
    # 10 % off the 30.00 book only: 20.00 x 19 % = 3.80; 27.00 x 7 % = 1.89; 50.00 - 3.00 + 5.69
    "net, a coupon for one category": Case(
        [item(2000), item(3000, "books")],
        de(),
        569,
        5269,
        coupon=percent_off(1000, "books"),
        portions=[(1900, 2000, 380), (700, 2700, 189)],
    ),
    # 5.00 off shared 2.50 / 2.50: 7.50 x 19 % = 1.425 -> 1.42 (half-even), 7.50 x 7 % = 0.525 -> 0.52
    "net, a fixed coupon over two rates, half-even": Case(
        [item(1000), item(1000, "books")], de(), 194, 1694, coupon=fixed_off(500)
    ),
    # the same, half-up: 1.43 + 0.53
    "net, a fixed coupon over two rates, half-up": Case(
        [item(1000), item(1000, "books")], de(mode=RoundingMode.HALF_UP), 196, 1696, coupon=fixed_off(500)
    ),
    # more off than the goods: goods 0, shipping 4.90 taxed at the standard rate = 0.931 -> 0.93
    "net, a coupon larger than the goods": Case([item(500)], de(), 93, 583, shipping=490, coupon=fixed_off(2000)),
    # zero-rated goods carry zero-rated shipping
    "net, shipping of zero-rated goods": Case([item(1000, "gift-cards")], de(), 0, 1500, shipping=500),
    # ---- rounding
    # per line: 1.03 x 19 % = 0.1957 -> 0.20, twice = 0.40
    "rounded per line": Case([item(103, slug="a"), item(103, slug="b")], de(rounding=TaxRounding.PER_LINE), 40, 246),
    # per order: 2.06 x 19 % = 0.3914 -> 0.39
    "rounded per order": Case([item(103, slug="a"), item(103, slug="b")], de(rounding=TaxRounding.PER_ORDER), 39, 245),
    # 2.50 x 1 % = 0.025: half-even 0.02, half-up 0.03
    "an exact half, half-even": Case([item(250)], AppliedTax(standard_bp=100), 2, 252),
    "an exact half, half-up": Case([item(250)], AppliedTax(standard_bp=100, mode=RoundingMode.HALF_UP), 3, 253),
    # ---- regions and postal codes: the most specific zone wins
    # Los Angeles 9.5 % of 100.00
    "a postal-code zone": Case([item(10000)], US.applied(Destination("US", "CA", "90001")), 950, 10950),
    # California 7.25 % of 100.00
    "a region zone": Case([item(10000)], US.applied(Destination("US", "ca", "94105")), 725, 10725),
    "a country zone": Case([item(10000)], US.applied(Destination("US", "NY", "10001")), 0, 10000),
    "a destination in no zone pays no tax": Case([item(10000)], US.applied(Destination("JP")), 0, 10000),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_tax_and_total_as_worked_out_by_hand(case: Case) -> None:
    shipping = eur(case.shipping) if case.shipping else None
    t = price(case.lines, currency="EUR", tax=case.tax, now=0, coupon=case.coupon, shipping=shipping)

    assert (t.tax.amount, t.total.amount) == (case.expected_tax, case.expected_total)
    assert t.tax_included is case.tax.prices_include_tax
    if case.portions:
        assert [(p.basis_points, p.net.amount, p.tax.amount) for p in t.taxes] == case.portions


def test_there_are_at_least_twenty_hand_worked_cases() -> None:
    assert len(CASES) >= 20


def test_tax_classes_follow_the_most_specific_category_on_the_path() -> None:
    rules = de(category_classes={"books": TaxClass.REDUCED, "rare-books": TaxClass.STANDARD})
    assert rules.rate_for(("books", "rare-books")) == 1900
    assert rules.rate_for(("books", "paperbacks")) == 700
    assert rules.rate_for(("toys",)) == 1900


amounts = st.integers(min_value=0, max_value=2_000_000)
categories = st.sampled_from(["general", "books", "gift-cards"])


@st.composite
def carts(draw: st.DrawFn) -> tuple[list[PricedLine], AppliedTax, CouponUse | None, int]:
    lines = [
        PricedLine(eur(draw(amounts)), f"p{i}", (draw(categories),))
        for i in range(draw(st.integers(min_value=1, max_value=8)))
    ]
    rules = AppliedTax(
        standard_bp=draw(st.integers(min_value=0, max_value=10_000)),
        reduced_bp=draw(st.integers(min_value=0, max_value=10_000)),
        prices_include_tax=draw(st.booleans()),
        tax_shipping=draw(st.booleans()),
        rounding=draw(st.sampled_from(list(TaxRounding))),
        mode=draw(st.sampled_from(list(RoundingMode))),
        category_classes=CLASSES,
    )
    coupon = draw(
        st.one_of(
            st.none(),
            st.integers(min_value=1, max_value=10_000).map(percent_off),
            st.integers(min_value=1, max_value=3_000_000).map(fixed_off),
            st.integers(min_value=1, max_value=10_000).map(lambda bp: percent_off(bp, "books")),
        )
    )
    return lines, rules, coupon, draw(amounts)


@settings(max_examples=400, deadline=None)
@given(carts())
def test_the_tax_is_the_sum_of_its_rates_and_the_total_the_sum_of_its_parts(
    cart: tuple[list[PricedLine], AppliedTax, CouponUse | None, int],
) -> None:
    lines, rules, coupon, shipping = cart
    try:
        t = price(lines, currency="EUR", tax=rules, now=0, coupon=coupon, shipping=eur(shipping))
    except CouponNotApplicable:  # a code that gives these lines nothing (no book in the cart) is refused, not priced
        return

    assert t.subtotal.amount == sum(x.total.amount for x in lines)
    assert 0 <= t.discount.amount <= t.subtotal.amount
    assert t.tax.amount == sum(p.tax.amount for p in t.taxes) >= 0
    paid = t.subtotal.amount - t.discount.amount + t.shipping.amount
    assert t.total.amount == (paid if rules.prices_include_tax else paid + t.tax.amount)
    taxed = t.subtotal.amount - t.discount.amount + (shipping if rules.tax_shipping else 0)
    bases = sum(p.net.amount + (p.tax.amount if rules.prices_include_tax else 0) for p in t.taxes)
    assert bases == taxed
    highest = max(rules.standard_bp, rules.reduced_bp)
    assert t.tax.amount <= taxed * highest // 10_000 + len(lines) + 1  # never more than the highest rate allows
