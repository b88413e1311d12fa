"""A store's shipping rules: zones, each with methods priced flat, by weight bands or by subtotal bands, optionally
free from a subtotal on, each with a delivery estimate. Pure data, validation and quoting.

A destination no zone contains cannot be shipped to. Amounts are minor units of the store's currency; weights are
grams. A band is "up to and including" its limit; the last band may have no limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money, minor_unit_exponent
from nozzly.kernel.domain.slugs import is_slug
from nozzly.stores.domain.zones import Area, Destination, best_match

MAX_ZONES: Final = 50
MAX_METHODS: Final = 20
MAX_BANDS: Final = 50
MAX_DAYS: Final = 365


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    """A method as offered for one parcel and destination: priced."""

    method_id: str
    name: str
    price: Money
    days_min: int
    days_max: int


class RateKind(StrEnum):
    FLAT = "flat"
    WEIGHT = "weight"  # bands over the parcel's weight in grams
    SUBTOTAL = "subtotal"  # bands over the goods' subtotal after discounts


@dataclass(frozen=True, slots=True)
class Band:
    up_to: int | None  # inclusive; None: no upper limit
    price: int


@dataclass(frozen=True, slots=True)
class ShippingRate:
    method_id: str
    name: str
    kind: RateKind
    days_min: int
    days_max: int
    price: int = 0  # flat
    bands: tuple[Band, ...] = ()
    free_from: int | None = None  # a goods subtotal (after discounts) from which this method costs nothing

    def cost(self, subtotal: int, weight_grams: int) -> int | None:
        """What the method costs for this parcel, or None when no band covers it (too heavy, too much)."""
        if self.free_from is not None and subtotal >= self.free_from:
            return 0
        if self.kind is RateKind.FLAT:
            return self.price
        measure = weight_grams if self.kind is RateKind.WEIGHT else subtotal
        for band in self.bands:
            if band.up_to is None or measure <= band.up_to:
                return band.price
        return None


@dataclass(frozen=True, slots=True)
class ShippingZone:
    name: str
    area: Area
    methods: tuple[ShippingRate, ...]


@dataclass(frozen=True, slots=True)
class ShippingSettings:
    zones: tuple[ShippingZone, ...]

    def zone_for(self, to: Destination) -> ShippingZone | None:
        return best_match(self.zones, lambda z: z.area, to)

    def options(self, to: Destination, *, subtotal: Money, weight_grams: int) -> tuple[ShippingMethod, ...]:
        """The methods that can carry this parcel there, priced; () if the store does not ship there."""
        zone = self.zone_for(to)
        if zone is None:
            return ()
        found = []
        for rate in zone.methods:
            cost = rate.cost(subtotal.amount, weight_grams)
            if cost is not None:
                found.append(
                    ShippingMethod(
                        rate.method_id, rate.name, Money(cost, subtotal.currency), rate.days_min, rate.days_max
                    )
                )
        return tuple(found)


def _amount(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput("an amount is a non-negative whole number of minor units", field=field)
    return value


def shipping_rate(
    method_id: str,
    name: str,
    kind: RateKind,
    *,
    days_min: int,
    days_max: int,
    price: int = 0,
    bands: Sequence[Band] = (),
    free_from: int | None = None,
    field: str = "methods",
) -> ShippingRate:
    if not is_slug(method_id) or len(method_id) > 40:
        raise InvalidInput("a method id is a slug of at most 40 characters (standard, express)", field=f"{field}.id")
    if not name.strip():
        raise InvalidInput("a method needs a name", field=f"{field}.name")
    if not 0 <= days_min <= days_max <= MAX_DAYS:
        raise InvalidInput(
            f"a delivery estimate needs 0 <= days_min <= days_max <= {MAX_DAYS}", field=f"{field}.days_min"
        )
    if free_from is not None:
        _amount(free_from, f"{field}.free_from")
    if kind is RateKind.FLAT:
        if bands:
            raise InvalidInput("a flat rate has a price, not bands", field=f"{field}.bands")
        return ShippingRate(
            method_id, name.strip(), kind, days_min, days_max, _amount(price, f"{field}.price"), (), free_from
        )
    if not bands or len(bands) > MAX_BANDS:
        raise InvalidInput(f"a {kind.value} rate needs 1 to {MAX_BANDS} bands", field=f"{field}.bands")
    limits = [b.up_to for b in bands]
    if any(limit is None for limit in limits[:-1]):
        raise InvalidInput("only the last band may have no upper limit", field=f"{field}.bands")
    bounded = [limit for limit in limits if limit is not None]
    if any(limit < 0 for limit in bounded) or bounded != sorted(set(bounded)):
        raise InvalidInput("band limits must be non-negative and strictly increasing", field=f"{field}.bands")
    for band in bands:
        _amount(band.price, f"{field}.bands.price")
    return ShippingRate(method_id, name.strip(), kind, days_min, days_max, 0, tuple(bands), free_from)


def shipping_zone(
    name: str,
    countries: Sequence[str],
    methods: Sequence[ShippingRate],
    *,
    regions: Sequence[str] = (),
    postal_prefixes: Sequence[str] = (),
    field: str = "zones",
) -> ShippingZone:
    if not name.strip():
        raise InvalidInput("a zone needs a name", field=f"{field}.name")
    if not methods or len(methods) > MAX_METHODS:
        raise InvalidInput(f"a zone needs 1 to {MAX_METHODS} methods", field=f"{field}.methods")
    ids = [m.method_id for m in methods]
    if len(set(ids)) != len(ids):
        raise InvalidInput("method ids must be unique within a zone", field=f"{field}.methods")
    area = Area.validated(countries, regions, postal_prefixes, field=field)
    return ShippingZone(name.strip(), area, tuple(methods))


def shipping_settings(zones: Sequence[ShippingZone]) -> ShippingSettings:
    if len(zones) > MAX_ZONES:
        raise InvalidInput(f"at most {MAX_ZONES} shipping zones", field="zones")
    names = [z.name.casefold() for z in zones]
    if len(set(names)) != len(names):
        raise InvalidInput("shipping zone names must be unique", field="zones")
    return ShippingSettings(tuple(zones))


# Prices in major units scaled to the currency's minor unit; currencies whose unit is worth far less than a euro
# get their own amounts (minor units), or 4.90 would be free shipping.
_MAJOR: Final = {"standard": (49, 10), "express": (149, 10)}  # 4.9 and 14.9 as (numerator, denominator)
_OVERRIDES: Final[dict[str, dict[str, int]]] = {
    "JPY": {"standard": 700, "express": 2000},
    "KRW": {"standard": 5000, "express": 15000},
    "CLP": {"standard": 5000, "express": 15000},
    "ISK": {"standard": 900, "express": 2500},
    "VND": {"standard": 30000, "express": 90000},
}


def default_price(currency: str, method: str) -> int:
    if currency in _OVERRIDES:
        return _OVERRIDES[currency][method]
    numerator, denominator = _MAJOR[method]
    scale: int = 10 ** minor_unit_exponent(currency)
    return numerator * scale // denominator


def default_shipping_settings(country: str, currency: str) -> ShippingSettings:
    """A new store ships within its home country, standard or express, at flat prices."""
    methods = [
        shipping_rate(
            "standard",
            "Standard shipping",
            RateKind.FLAT,
            days_min=3,
            days_max=5,
            price=default_price(currency, "standard"),
        ),
        shipping_rate(
            "express",
            "Express shipping",
            RateKind.FLAT,
            days_min=1,
            days_max=2,
            price=default_price(currency, "express"),
        ),
    ]
    return shipping_settings([shipping_zone("Domestic", [country], methods)])
