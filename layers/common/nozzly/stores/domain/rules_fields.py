"""The tax and shipping rules as plain fields: the settings sections' data (what the routes take and answer and
the store's `SETTINGS#tax` / `SETTINGS#shipping` items hold). Reading fields always goes through the rules'
validating constructors, so no stored or sent value can hold a rule they would refuse."""

from __future__ import annotations

from typing import Any

from nozzly.stores.domain.shipping_rules import (
    Band,
    RateKind,
    ShippingRate,
    ShippingSettings,
    shipping_rate,
    shipping_settings,
    shipping_zone,
)
from nozzly.stores.domain.tax_rules import RoundingMode, TaxClass, TaxRounding, TaxSettings, tax_settings, tax_zone
from nozzly.stores.domain.zones import Area

TAX_SECTION = "tax"
SHIPPING_SECTION = "shipping"


def _area(area: Area) -> dict[str, Any]:
    return {
        "countries": list(area.countries),
        "regions": list(area.regions),
        "postal_prefixes": list(area.postal_prefixes),
    }


def tax_data(rules: TaxSettings) -> dict[str, Any]:
    return {
        "prices_include_tax": rules.prices_include_tax,
        "tax_shipping": rules.tax_shipping,
        "rounding": rules.rounding.value,
        "rounding_mode": rules.mode.value,
        "category_classes": {slug: c.value for slug, c in rules.category_classes},
        "zones": [
            {"name": z.name, **_area(z.area), "standard_bp": z.standard_bp, "reduced_bp": z.reduced_bp}
            for z in rules.zones
        ],
    }


def tax_from_data(data: dict[str, Any]) -> TaxSettings:
    return tax_settings(
        [
            tax_zone(
                z["name"],
                z["countries"],
                regions=z.get("regions", []),
                postal_prefixes=z.get("postal_prefixes", []),
                standard_bp=int(z["standard_bp"]),
                reduced_bp=int(z.get("reduced_bp", 0)),
            )
            for z in data.get("zones", [])
        ],
        prices_include_tax=bool(data.get("prices_include_tax", False)),
        tax_shipping=bool(data.get("tax_shipping", True)),
        rounding=TaxRounding(data.get("rounding", TaxRounding.PER_ORDER.value)),
        mode=RoundingMode(data.get("rounding_mode", RoundingMode.HALF_EVEN.value)),
        category_classes={slug: TaxClass(c) for slug, c in data.get("category_classes", {}).items()},
    )


def _rate_data(rate: ShippingRate) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rate.method_id,
        "name": rate.name,
        "kind": rate.kind.value,
        "days_min": rate.days_min,
        "days_max": rate.days_max,
        "price": rate.price,
        "bands": [{"up_to": b.up_to, "price": b.price} for b in rate.bands],
    }
    if rate.free_from is not None:
        data["free_from"] = rate.free_from
    return data


def shipping_data(rules: ShippingSettings) -> dict[str, Any]:
    return {
        "zones": [{"name": z.name, **_area(z.area), "methods": [_rate_data(m) for m in z.methods]} for z in rules.zones]
    }


def _rate_from(m: dict[str, Any]) -> ShippingRate:
    return shipping_rate(
        m["id"],
        m["name"],
        RateKind(m["kind"]),
        days_min=int(m["days_min"]),
        days_max=int(m["days_max"]),
        price=int(m.get("price", 0)),
        bands=[Band(None if b.get("up_to") is None else int(b["up_to"]), int(b["price"])) for b in m.get("bands", [])],
        free_from=None if m.get("free_from") is None else int(m["free_from"]),
    )


def shipping_from_data(data: dict[str, Any]) -> ShippingSettings:
    return shipping_settings(
        [
            shipping_zone(
                z["name"],
                z["countries"],
                [_rate_from(m) for m in z["methods"]],
                regions=z.get("regions", []),
                postal_prefixes=z.get("postal_prefixes", []),
            )
            for z in data.get("zones", [])
        ]
    )
