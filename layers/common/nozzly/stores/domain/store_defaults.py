"""What a newly opened store starts with: starter categories, order numbers, and (through its name, country and
currency) the defaults of its settings sections (stores/domain/store_settings.first_sections).

Pure data and rules; the provisioning workflow writes them (stores/services/store_provisioning.py). Operators change
them afterwards. Its tax and shipping rules start as stores/domain/tax_rules.py `default_tax_settings` and
stores/domain/shipping_rules.py `default_shipping_settings` until an operator saves their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nozzly.catalog.domain.catalog import Category
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


@dataclass(frozen=True, slots=True)
class StoreDefaults:
    categories: tuple[Category, ...]
    first_order_number: int
    store_name: str  # the settings sections' defaults (display name, sender name) come from it
    country: str  # and the tax and shipping rules' from these two
    currency: str


def starter_categories(store_id: str, niche: str) -> tuple[Category, ...]:
    pairs = _STARTER_CATEGORIES.get(slugify(niche), _GENERIC_CATEGORIES)
    return tuple(Category(store_id=store_id, slug=s, name=n, position=i) for i, (s, n) in enumerate(pairs))


def store_defaults(store_id: str, name: str, niche: str, currency: str, country: str) -> StoreDefaults:
    return StoreDefaults(
        categories=starter_categories(store_id, niche),
        first_order_number=FIRST_ORDER_NUMBER,
        store_name=name,
        country=country,
        currency=currency,
    )
