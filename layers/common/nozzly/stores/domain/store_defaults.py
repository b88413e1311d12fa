"""What a newly opened store starts with: starter categories, tax rate, shipping methods, order numbers, and
(through its name) the defaults of its settings sections (stores/domain/store_settings.first_sections).

Pure data and rules; the provisioning workflow writes them (stores/services/store_provisioning.py). Operators change
them afterwards, so these are sensible starting points, not a tax or logistics authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nozzly.catalog.domain.catalog import Category
from nozzly.kernel.domain.money import Money, minor_unit_exponent
from nozzly.kernel.domain.slugs import slugify

FIRST_ORDER_NUMBER: Final = 1001  # customers read "#1001", not "#1": a new store does not look empty

# (slug, name) per niche; the niche is free text, matched by its slug.
_STARTER_CATEGORIES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "fashion": (("tops", "Tops"), ("bottoms", "Bottoms"), ("shoes", "Shoes"), ("accessories", "Accessories")),
    "electronics": (
        ("phones", "Phones"),
        ("computers", "Computers"),
        ("audio", "Audio"),
        ("accessories", "Accessories"),
    ),
    "home": (("furniture", "Furniture"), ("kitchen", "Kitchen"), ("decor", "Decor"), ("garden", "Garden")),
    "food": (("pantry", "Pantry"), ("drinks", "Drinks"), ("snacks", "Snacks"), ("gifts", "Gift boxes")),
    "books": (("fiction", "Fiction"), ("non-fiction", "Non-fiction"), ("children", "Children")),
    "beauty": (("skincare", "Skincare"), ("makeup", "Makeup"), ("fragrance", "Fragrance"), ("hair", "Hair")),
    "sports": (("equipment", "Equipment"), ("clothing", "Clothing"), ("footwear", "Footwear")),
}
_GENERIC_CATEGORIES: Final = (("new-arrivals", "New arrivals"), ("best-sellers", "Best sellers"), ("sale", "Sale"))

# Standard VAT / GST rates in basis points (19 % = 1900). Countries whose sales tax depends on the region
# (US) or that are not listed start at 0: the operator sets the rate that applies to them.
_STANDARD_TAX_BP: Final[dict[str, int]] = {
    "AT": 2000,
    "AU": 1000,
    "BE": 2100,
    "CH": 810,
    "DE": 1900,
    "DK": 2500,
    "ES": 2100,
    "FR": 2000,
    "GB": 2000,
    "IE": 2300,
    "IT": 2200,
    "JP": 1000,
    "NL": 2100,
    "NZ": 1500,
    "PL": 2300,
    "SE": 2500,
}
DEFAULT_TAX_BP: Final = 0

# Shipping prices in major units scaled to the currency's minor unit; currencies whose unit is worth far
# less than a euro get their own amounts (minor units), or 4.90 would be free shipping.
_SHIPPING_MAJOR: Final = {"standard": (49, 10), "express": (149, 10)}  # 4.9 and 14.9 as (numerator, denominator)
_SHIPPING_OVERRIDES: Final[dict[str, dict[str, int]]] = {
    "JPY": {"standard": 700, "express": 2000},
    "KRW": {"standard": 5000, "express": 15000},
    "CLP": {"standard": 5000, "express": 15000},
    "ISK": {"standard": 900, "express": 2500},
    "VND": {"standard": 30000, "express": 90000},
}


@dataclass(frozen=True, slots=True)
class TaxRate:
    country: str
    basis_points: int  # of the net price


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    method_id: str
    name: str
    price: Money
    days_min: int
    days_max: int


@dataclass(frozen=True, slots=True)
class StoreDefaults:
    categories: tuple[Category, ...]
    tax_rate: TaxRate
    shipping: tuple[ShippingMethod, ...]
    first_order_number: int
    store_name: str  # the settings sections' defaults (display name, sender name) come from it


def starter_categories(store_id: str, niche: str) -> tuple[Category, ...]:
    pairs = _STARTER_CATEGORIES.get(slugify(niche), _GENERIC_CATEGORIES)
    return tuple(Category(store_id=store_id, slug=s, name=n, position=i) for i, (s, n) in enumerate(pairs))


def tax_rate(country: str) -> TaxRate:
    return TaxRate(country, _STANDARD_TAX_BP.get(country, DEFAULT_TAX_BP))


def shipping_methods(currency: str) -> tuple[ShippingMethod, ...]:
    def price(method: str) -> Money:
        if currency in _SHIPPING_OVERRIDES:
            return Money(_SHIPPING_OVERRIDES[currency][method], currency)
        numerator, denominator = _SHIPPING_MAJOR[method]
        return Money(numerator * 10 ** minor_unit_exponent(currency) // denominator, currency)

    return (
        ShippingMethod("standard", "Standard shipping", price("standard"), 3, 5),
        ShippingMethod("express", "Express shipping", price("express"), 1, 2),
    )


def store_defaults(store_id: str, name: str, niche: str, currency: str, country: str) -> StoreDefaults:
    return StoreDefaults(
        categories=starter_categories(store_id, niche),
        tax_rate=tax_rate(country),
        shipping=shipping_methods(currency),
        first_order_number=FIRST_ORDER_NUMBER,
        store_name=name,
    )
