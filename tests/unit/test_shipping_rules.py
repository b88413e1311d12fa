"""Shipping rules as an owner sets them up: zones, flat and banded rates, free shipping from a subtotal."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.stores.domain.shipping_rules import (
    Band,
    RateKind,
    ShippingSettings,
    shipping_rate,
    shipping_settings,
    shipping_zone,
)
from nozzly.stores.domain.zones import Destination

pytestmark = pytest.mark.unit


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


STANDARD = shipping_rate("standard", "Standard", RateKind.FLAT, days_min=3, days_max=5, price=490, free_from=5000)
BY_WEIGHT = shipping_rate(
    "parcel",
    "Parcel",
    RateKind.WEIGHT,
    days_min=2,
    days_max=4,
    bands=[Band(1000, 600), Band(5000, 1200), Band(20000, 2500)],
)
BY_VALUE = shipping_rate(
    "insured", "Insured", RateKind.SUBTOTAL, days_min=1, days_max=2, bands=[Band(10000, 1500), Band(None, 3000)]
)
RULES: ShippingSettings = shipping_settings(
    [
        shipping_zone("Germany", ["DE"], [STANDARD, BY_WEIGHT, BY_VALUE]),
        shipping_zone(
            "Islands",
            ["DE"],
            [shipping_rate("ferry", "Ferry", RateKind.FLAT, days_min=5, days_max=9, price=1900)],
            postal_prefixes=["18565", "25938"],
        ),
        shipping_zone(
            "EU",
            ["FR", "AT", "NL"],
            [shipping_rate("eu", "EU standard", RateKind.FLAT, days_min=4, days_max=8, price=990)],
        ),
    ]
)


def offered(to: Destination, subtotal: int = 2000, grams: int = 500) -> dict[str, int]:
    return {m.method_id: m.price.amount for m in RULES.options(to, subtotal=eur(subtotal), weight_grams=grams)}


def test_each_method_is_priced_for_the_parcel() -> None:
    assert offered(Destination("DE", None, "10115")) == {"standard": 490, "parcel": 600, "insured": 1500}


def test_free_shipping_from_the_threshold_on() -> None:
    assert offered(Destination("DE"), subtotal=4999)["standard"] == 490
    assert offered(Destination("DE"), subtotal=5000)["standard"] == 0


@pytest.mark.parametrize(("grams", "price"), [(0, 600), (1000, 600), (1001, 1200), (5000, 1200), (20000, 2500)])
def test_weight_bands_include_their_upper_limit(grams: int, price: int) -> None:
    assert offered(Destination("DE"), grams=grams)["parcel"] == price


def test_a_parcel_heavier_than_every_band_is_not_offered_that_method() -> None:
    assert "parcel" not in offered(Destination("DE"), grams=20001)


def test_an_open_ended_subtotal_band_covers_everything_above() -> None:
    assert offered(Destination("DE"), subtotal=10001)["insured"] == 3000


def test_the_most_specific_zone_wins_and_an_unlisted_country_gets_nothing() -> None:
    assert offered(Destination("DE", None, "18565 Hiddensee")) == {"ferry": 1900}
    assert offered(Destination("FR")) == {"eu": 990}
    assert offered(Destination("US")) == {}


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: shipping_rate("Bad Id", "x", RateKind.FLAT, days_min=1, days_max=2), "methods.id"),
        (lambda: shipping_rate("a", "x", RateKind.FLAT, days_min=3, days_max=2), "methods.days_min"),
        (lambda: shipping_rate("a", "x", RateKind.FLAT, days_min=1, days_max=2, price=-1), "methods.price"),
        (lambda: shipping_rate("a", "x", RateKind.WEIGHT, days_min=1, days_max=2), "methods.bands"),
        (
            lambda: shipping_rate("a", "x", RateKind.WEIGHT, days_min=1, days_max=2, bands=[Band(5, 1), Band(5, 2)]),
            "methods.bands",
        ),
        (
            lambda: shipping_rate("a", "x", RateKind.WEIGHT, days_min=1, days_max=2, bands=[Band(None, 1), Band(9, 2)]),
            "methods.bands",
        ),
        (lambda: shipping_zone("Z", ["DEU"], [STANDARD]), "zones.countries"),
        (lambda: shipping_zone("Z", ["DE"], [STANDARD, STANDARD]), "zones.methods"),
        (
            lambda: shipping_settings([shipping_zone("Z", ["DE"], [STANDARD]), shipping_zone("z", ["FR"], [STANDARD])]),
            "zones",
        ),
    ],
)
def test_bad_rules_are_refused_naming_the_field(build: object, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build()  # type: ignore[operator]
    assert refused.value.field == field
