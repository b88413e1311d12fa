"""Stock holds: which variants of which products a sale holds or gives back, against the stock on hand as read.
Pure Python. Carried out by one conditional DynamoDB transaction in catalog/adapters/reservations.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from nozzly.catalog.domain.catalog import Product
from nozzly.kernel.domain.errors import Conflict, NotFound


class OutOfStock(Conflict):
    code = "out_of_stock"


def shortage(sku: str, title: str, available: int) -> str:
    if available <= 0:
        return f"{title} ({sku}) is out of stock"
    return f"{title} ({sku}): only {available} left"


@dataclass(frozen=True, slots=True)
class VariantHold:
    index: int  # the variant's position in the product item's list (checked with its id)
    variant_id: str
    quantity: int
    on_hand: int  # as read: the reservation holds only if stock on hand is still this


@dataclass(frozen=True, slots=True)
class ProductHold:
    product_slug: str
    holds: tuple[VariantHold, ...]
    in_stock_after: bool = True  # the storefront's "in stock" filter after this change (any variant left)


class StockLine(Protocol):
    """A line of a checkout or a fulfilment: so much of a product's variant."""

    @property
    def product_slug(self) -> str: ...
    @property
    def variant_id(self) -> str: ...
    @property
    def quantity(self) -> int: ...


class HeldLine(StockLine, Protocol):
    """A line a shopper or an operator asked for: named by SKU and title in the answer when it cannot be held."""

    @property
    def sku(self) -> str: ...
    @property
    def title(self) -> str: ...


def quantities_by_product(lines: Iterable[StockLine]) -> dict[str, dict[str, int]]:
    """Quantity per product and variant: a stock transaction touches each product item once, so every plan
    adds up the lines of one product first."""
    wanted: dict[str, dict[str, int]] = {}
    for line in lines:
        per_variant = wanted.setdefault(line.product_slug, {})
        per_variant[line.variant_id] = per_variant.get(line.variant_id, 0) + line.quantity
    return wanted


def plan_holds(lines: Sequence[HeldLine], products: Mapping[str, Product]) -> tuple[ProductHold, ...]:
    """One entry per product (a transaction may touch an item once), or OutOfStock naming the first short line.

    Holding `quantity` of a variant is possible while reserved + quantity <= on hand; the transaction checks it
    as `reserved <= on_hand - quantity` with on hand unchanged since this read.
    """
    wanted = quantities_by_product(lines)
    plan = []
    for slug, per_variant in sorted(wanted.items()):
        product = products.get(slug)
        if product is None or not product.is_published:
            line = next(x for x in lines if x.product_slug == slug)
            raise NotFound(f"{line.sku} ({line.title}) is no longer for sale", field="cart")
        holds = []
        for variant_id, quantity in sorted(per_variant.items()):
            index = next((i for i, v in enumerate(product.variants) if v.variant_id == variant_id), None)
            line = next(x for x in lines if x.variant_id == variant_id and x.product_slug == slug)
            if index is None:
                raise NotFound(f"{line.sku} ({line.title}) is no longer for sale", field="cart")
            variant = product.variants[index]
            if variant.available < quantity:
                raise OutOfStock(shortage(line.sku, line.title, variant.available), field="cart")
            holds.append(VariantHold(index, variant_id, quantity, variant.stock_on_hand))
        left = product.available - sum(h.quantity for h in holds)
        plan.append(ProductHold(slug, tuple(holds), in_stock_after=left > 0))
    return tuple(plan)


def plan_releases(lines: Sequence[HeldLine], products: Mapping[str, Product]) -> tuple[ProductHold, ...]:
    """What a checkout gives back, against the products as they are now (variants found by id). A variant
    deleted meanwhile has nothing left to give back and is skipped."""
    wanted = quantities_by_product(lines)
    plan = []
    for slug, per_variant in sorted(wanted.items()):
        product = products.get(slug)
        if product is None:
            continue
        holds = tuple(
            VariantHold(i, v.variant_id, per_variant[v.variant_id], v.stock_on_hand)
            for i, v in enumerate(product.variants)
            if v.variant_id in per_variant
        )
        if holds:
            back = product.available + sum(h.quantity for h in holds)
            plan.append(ProductHold(slug, holds, in_stock_after=back > 0))
    return tuple(plan)
