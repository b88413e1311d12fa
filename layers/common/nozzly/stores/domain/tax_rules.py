"""A store's tax rules: zones with rates per tax class, which categories take which class, whether prices include
tax, whether shipping is taxed and how tax is rounded. Pure data and validation; sales/domain/tax.py computes.

Rates are basis points of the net price (19 % = 1900). A destination no zone contains pays no tax (exports are
commonly zero-rated); whether the store ships there at all is the shipping rules' decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.stores.domain.zones import Area, Destination, best_match

MAX_RATE_BP: Final = 10_000  # 100 %: no real rate is above it, and a typo of 19000 is caught
MAX_ZONES: Final = 100
MAX_CLASSED_CATEGORIES: Final = 1_000


class TaxClass(StrEnum):
    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO = "zero"


class TaxRounding(StrEnum):
    """Where tax is rounded to the minor unit: each line's tax (what many EU invoices show per line), or the
    order's tax per rate (the smallest rounding error)."""

    PER_LINE = "per_line"
    PER_ORDER = "per_order"


class RoundingMode(StrEnum):
    HALF_EVEN = "half_even"  # banker's rounding: no drift over many amounts
    HALF_UP = "half_up"  # what most tax authorities print in their examples


@dataclass(frozen=True, slots=True)
class TaxZone:
    name: str
    area: Area
    standard_bp: int
    reduced_bp: int = 0

    def rate(self, tax_class: TaxClass) -> int:
        if tax_class is TaxClass.ZERO:
            return 0
        return self.reduced_bp if tax_class is TaxClass.REDUCED else self.standard_bp


@dataclass(frozen=True, slots=True)
class AppliedTax:
    """The store's rules resolved for one destination: what pricing needs and nothing more."""

    standard_bp: int
    reduced_bp: int = 0
    prices_include_tax: bool = False
    tax_shipping: bool = True
    rounding: TaxRounding = TaxRounding.PER_ORDER
    mode: RoundingMode = RoundingMode.HALF_EVEN
    category_classes: Mapping[str, TaxClass] | None = None

    @staticmethod
    def flat(basis_points: int) -> AppliedTax:
        """One rate on everything, added on top, rounded once per order."""
        return AppliedTax(standard_bp=basis_points, reduced_bp=basis_points)

    def class_of(self, category_path: Sequence[str]) -> TaxClass:
        """The class of the most specific category on the path that has one; standard otherwise."""
        classes = self.category_classes or {}
        for category in reversed(category_path):
            if category in classes:
                return classes[category]
        return TaxClass.STANDARD

    def rate_for(self, category_path: Sequence[str]) -> int:
        tax_class = self.class_of(category_path)
        if tax_class is TaxClass.ZERO:
            return 0
        return self.reduced_bp if tax_class is TaxClass.REDUCED else self.standard_bp


@dataclass(frozen=True, slots=True)
class TaxSettings:
    zones: tuple[TaxZone, ...]
    prices_include_tax: bool = False
    tax_shipping: bool = True
    rounding: TaxRounding = TaxRounding.PER_ORDER
    mode: RoundingMode = RoundingMode.HALF_EVEN
    category_classes: tuple[tuple[str, TaxClass], ...] = ()

    def zone_for(self, to: Destination) -> TaxZone | None:
        return best_match(self.zones, lambda z: z.area, to)

    def applied(self, to: Destination) -> AppliedTax:
        zone = self.zone_for(to)
        return AppliedTax(
            standard_bp=zone.standard_bp if zone else 0,
            reduced_bp=zone.reduced_bp if zone else 0,
            prices_include_tax=self.prices_include_tax,
            tax_shipping=self.tax_shipping,
            rounding=self.rounding,
            mode=self.mode,
            category_classes=dict(self.category_classes),
        )


def _rate(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RATE_BP:
        raise InvalidInput(f"a rate is whole basis points from 0 to {MAX_RATE_BP} (19 % is 1900)", field=field)
    return value


def tax_zone(
    name: str,
    countries: Sequence[str],
    *,
    standard_bp: int,
    reduced_bp: int = 0,
    regions: Sequence[str] = (),
    postal_prefixes: Sequence[str] = (),
    field: str = "zones",
) -> TaxZone:
    if not name.strip():
        raise InvalidInput("a zone needs a name", field=f"{field}.name")
    return TaxZone(
        name=name.strip(),
        area=Area.validated(countries, regions, postal_prefixes, field=field),
        standard_bp=_rate(standard_bp, f"{field}.standard_bp"),
        reduced_bp=_rate(reduced_bp, f"{field}.reduced_bp"),
    )


def tax_settings(
    zones: Sequence[TaxZone],
    *,
    prices_include_tax: bool = False,
    tax_shipping: bool = True,
    rounding: TaxRounding = TaxRounding.PER_ORDER,
    mode: RoundingMode = RoundingMode.HALF_EVEN,
    category_classes: Mapping[str, TaxClass] | None = None,
) -> TaxSettings:
    """Validated settings: zone names unique, at most MAX_ZONES zones and MAX_CLASSED_CATEGORIES classed categories."""
    if len(zones) > MAX_ZONES:
        raise InvalidInput(f"at most {MAX_ZONES} tax zones", field="zones")
    names = [z.name.casefold() for z in zones]
    if len(set(names)) != len(names):
        raise InvalidInput("tax zone names must be unique", field="zones")
    classes = dict(category_classes or {})
    if len(classes) > MAX_CLASSED_CATEGORIES:
        raise InvalidInput(f"at most {MAX_CLASSED_CATEGORIES} categories with a tax class", field="category_classes")
    return TaxSettings(
        zones=tuple(zones),
        prices_include_tax=prices_include_tax,
        tax_shipping=tax_shipping,
        rounding=rounding,
        mode=mode,
        category_classes=tuple(sorted(classes.items())),
    )


# Standard and reduced VAT / GST rates a new store starts with, in basis points. Countries whose sales tax depends
# on the region (US, CA) or that are not listed start at 0: the operator sets what applies to them.
_HOME_RATES: Final[dict[str, tuple[int, int]]] = {
    "AT": (2000, 1000),
    "AU": (1000, 0),
    "BE": (2100, 600),
    "CH": (810, 260),
    "DE": (1900, 700),
    "DK": (2500, 2500),
    "ES": (2100, 1000),
    "FR": (2000, 550),
    "GB": (2000, 500),
    "IE": (2300, 1350),
    "IT": (2200, 1000),
    "JP": (1000, 800),
    "NL": (2100, 900),
    "NZ": (1500, 1500),
    "PL": (2300, 800),
    "SE": (2500, 1200),
}


def home_rates(country: str) -> tuple[int, int]:
    """(standard, reduced) basis points a store in this country starts with."""
    return _HOME_RATES.get(country.upper(), (0, 0))


def default_tax_settings(country: str) -> TaxSettings:
    """A new store's rules: its home country at its standard rates, prices net of tax, shipping taxed."""
    standard, reduced = home_rates(country)
    return tax_settings([tax_zone(country.upper(), [country], standard_bp=standard, reduced_bp=reduced)])
