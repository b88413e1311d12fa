"""Operators' coupons: what a new coupon takes from its store, which fields a change may touch, and which
products and categories a restriction may name. Pure Python; the coupon's own rules are in promotions/domain/coupons.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import asdict, dataclass, replace
from typing import Final

from nozzly.catalog.domain.catalog import Store
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.promotions.domain.coupons import Coupon, CouponKind, normalise_code

MAX_RESTRICTIONS: Final = 100  # products, and categories, one coupon may name
# The code is the coupon's key, the currency is the store's and the use counter is the checkout's.
EDITABLE: Final = frozenset(
    {
        "kind",
        "value",
        "min_subtotal",
        "valid_from",
        "valid_until",
        "max_uses",
        "max_uses_per_shopper",
        "products",
        "categories",
        "active",
    }
)


@dataclass(frozen=True, slots=True)
class CouponTerms:
    """What an operator decides about a coupon (everything but its code, store, currency and uses)."""

    kind: CouponKind
    value: int
    min_subtotal: int = 0
    valid_from: int | None = None
    valid_until: int | None = None
    max_uses: int | None = None
    max_uses_per_shopper: int | None = None
    products: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    active: bool = True


def new_coupon(store: Store, raw_code: str, terms: CouponTerms) -> Coupon:
    """A coupon of the store in the store's currency, never used yet."""
    coupon = Coupon(
        store_id=store.store_id, code=normalise_code(raw_code), currency=store.currency, uses=0, **asdict(terms)
    )
    _check_sizes(coupon)
    return coupon


def changed(coupon: Coupon, changes: Mapping[str, object]) -> Coupon:
    """The coupon with the named fields changed; the result must be a valid coupon as a whole."""
    for name in sorted(changes):
        if name not in EDITABLE:
            raise InvalidInput(f"{name} cannot be changed", field=name)
    after = replace(coupon, **changes)  # type: ignore[arg-type]  # names checked above, values by __post_init__
    _check_sizes(after)
    return after


def check_targets(before: Coupon | None, after: Coupon, live_products: Set[str], live_categories: Set[str]) -> None:
    """Every product and category the change adds to the restrictions is live in the store. Slugs named before
    stay: a product deleted since then must not block an unrelated change (it simply qualifies no cart)."""
    added = added_targets(before, after)
    for field, noun, live in (("products", "product", live_products), ("categories", "category", live_categories)):
        missing = sorted(added[field] - live)
        if missing:
            raise InvalidInput(f"no such {noun} in this store: {missing[0]}", field=field)


def added_targets(before: Coupon | None, after: Coupon) -> dict[str, frozenset[str]]:
    """The product and category slugs `after` names that `before` did not (all of them for a new coupon)."""
    return {
        "products": after.products - (before.products if before else frozenset()),
        "categories": after.categories - (before.categories if before else frozenset()),
    }


def _check_sizes(coupon: Coupon) -> None:
    for name in ("products", "categories"):
        if len(getattr(coupon, name)) > MAX_RESTRICTIONS:
            raise InvalidInput(f"a coupon names at most {MAX_RESTRICTIONS} {name}", field=name)
