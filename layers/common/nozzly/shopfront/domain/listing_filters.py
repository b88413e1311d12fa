"""A listing page's filters as a shopper types them (prices in major units) and as the catalog reads them. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import MAX_AMOUNT_MINOR, minor_unit_exponent

SORTS: Final = {
    "title": "Name (A–Z)",
    "newest": "Newest",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
}
MAX_PRICE_TEXT: Final = 20


@dataclass(frozen=True, slots=True)
class Filters:
    sort: str = "title"
    in_stock: bool = False
    price_min: int | None = None  # minor units
    price_max: int | None = None
    brand: str | None = None
    price_min_text: str = ""  # as typed, to fill the form again
    price_max_text: str = ""

    @property
    def active(self) -> bool:
        return self.in_stock or self.price_min is not None or self.price_max is not None or self.brand is not None

    def query(self) -> dict[str, str]:
        """The filters as a page link's query (without the cursor); the default sort is left out."""
        found = {
            "sort": "" if self.sort == "title" else self.sort,
            "in_stock": "1" if self.in_stock else "",
            "price_min": self.price_min_text,
            "price_max": self.price_max_text,
            "brand": self.brand or "",
        }
        return {k: v for k, v in found.items() if v}


def to_minor(text: str, currency: str, field: str) -> int:
    """'12.5' EUR -> 1250. Not a number, negative, too many decimals or too large: InvalidInput naming the field."""
    exponent = minor_unit_exponent(currency)
    try:
        value = Decimal(text.replace(",", ".")) if len(text) <= MAX_PRICE_TEXT else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise InvalidInput("Please enter a price as a number, like 25 or 19.99.", field=field)
    minor = value.scaleb(exponent)
    if minor != minor.to_integral_value():
        raise InvalidInput(f"A price in {currency} has at most {exponent} decimals.", field=field)
    if minor > MAX_AMOUNT_MINOR:
        raise InvalidInput("That price is higher than anything in the shop.", field=field)
    return int(minor)


def parse_filters(params: Mapping[str, str], currency: str, brands: frozenset[str] = frozenset()) -> Filters:
    """The listing filters of a page's query string; anything a shopper could not have chosen is InvalidInput."""
    sort = params.get("sort") or "title"
    if sort not in SORTS:
        raise InvalidInput("That is not a way this shop can sort products.", field="sort")
    in_stock = params.get("in_stock", "") not in ("", "0", "false")
    low_text = (params.get("price_min") or "").strip()
    high_text = (params.get("price_max") or "").strip()
    low = to_minor(low_text, currency, "price_min") if low_text else None
    high = to_minor(high_text, currency, "price_max") if high_text else None
    if low is not None and high is not None and low > high:
        raise InvalidInput("The highest price must not be below the lowest price.", field="price_max")
    brand = params.get("brand") or None
    if brand is not None and (brand not in brands or len(brand) > 80):
        raise InvalidInput("This shop has no such brand.", field="brand")
    return Filters(sort, in_stock, low, high, brand, low_text, high_text)
