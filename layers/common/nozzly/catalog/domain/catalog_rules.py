"""Operators' catalog rules: the category tree, variants and SKUs, publishing. Pure Python, no AWS.

The services apply these to what the adapters read; every refusal is raised before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final

from nozzly.catalog.domain.catalog import Category, Product, ProductStatus, Variant
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.kernel.domain.slugs import MAX_SLUG_LENGTH, numbered_slugs, slugify

MAX_CATEGORY_DEPTH: Final = 6  # a path this long is a navigation problem, and every product write checks it
MAX_VARIANTS: Final = 40  # a product write claims new SKUs in one transaction (100 items at most)
MAX_OPTIONS: Final = 3  # size, colour, material: what a storefront picker can show
DEFAULT_VARIANT_ID: Final = "default"
SKU_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_SKU = re.compile(SKU_PATTERN)


# ---------------------------------------------------------------- what an operator asks for
@dataclass(frozen=True, slots=True)
class NewVariant:
    name: str
    sku: str
    options: tuple[tuple[str, str], ...] = ()
    price: Money | None = None
    stock_on_hand: int = 0
    low_stock_threshold: int = 3
    weight_grams: int = 0


@dataclass(frozen=True, slots=True)
class NewProduct:
    title: str
    category: str
    price: Money
    variants: tuple[NewVariant, ...]
    description: str = ""
    status: ProductStatus = ProductStatus.DRAFT
    brand: str | None = None
    compare_at_price: Money | None = None
    cost: Money | None = None
    seo_title: str = ""
    seo_description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------- slugs
def unique_slug(text: str, taken: Iterable[str], *, what: str, field: str = "title", attempts: int = 50) -> str:
    """The slug of `text`, with -2, -3 ... when taken (deleted things keep theirs: a restore brings it back)."""
    base = slugify(text)
    if not base:
        raise InvalidInput(f"the {what} needs at least one letter or digit", field=field)
    used = set(taken)
    for candidate in numbered_slugs(base[:MAX_SLUG_LENGTH], attempts):
        if candidate not in used:
            return candidate
    raise Conflict(f"too many {what}s are called {text!r}; choose a more distinctive one", field=field)


# ---------------------------------------------------------------- category tree
def live_category(categories: Mapping[str, Category], slug: str, *, field: str = "category") -> Category:
    found = categories.get(slug)
    if found is None or found.deleted:
        raise NotFound(f"category {slug!r} not found", field=field)
    return found


def category_path(categories: Mapping[str, Category], slug: str) -> tuple[str, ...]:
    """The category's ancestors root-first, ending with the category itself; every one of them live."""
    path = [live_category(categories, slug)]
    while path[-1].parent is not None:
        if len(path) > MAX_CATEGORY_DEPTH:
            raise Conflict(f"category {slug!r} is nested too deep", field="category")
        path.append(live_category(categories, path[-1].parent, field="category"))
    return tuple(c.slug for c in reversed(path))


def check_parent(categories: Mapping[str, Category], slug: str | None, parent: str | None) -> None:
    """May `slug` (None: a new category) hang under `parent`? No cycles, no deleted parent, bounded depth."""
    if parent is None:
        return
    parent_path = category_path(categories, parent) if parent in categories else ()
    if not parent_path:
        raise NotFound(f"parent category {parent!r} not found", field="parent")
    if slug is not None and slug in parent_path:
        raise Conflict(f"category {slug!r} cannot move under itself or its own subcategory {parent!r}", field="parent")
    if len(parent_path) + 1 + _subtree_height(categories, slug) > MAX_CATEGORY_DEPTH:
        raise Conflict(f"categories nest at most {MAX_CATEGORY_DEPTH} deep", field="parent")


def _subtree_height(categories: Mapping[str, Category], slug: str | None) -> int:
    """Levels below `slug` (0 for a leaf or a new category)."""
    if slug is None:
        return 0
    children = [c.slug for c in categories.values() if c.parent == slug and not c.deleted]
    return 1 + max(_subtree_height(categories, c) for c in children) if children else 0


def subtree(categories: Mapping[str, Category], slug: str) -> set[str]:
    """The category and everything below it (live or deleted)."""
    found = {slug}
    frontier = [slug]
    while frontier:
        current = frontier.pop()
        for child in (c.slug for c in categories.values() if c.parent == current):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def check_deletable(category: Category, categories: Mapping[str, Category], live_products: int) -> None:
    """Refused while something live hangs on it: a deleted category must not hide anything by surprise."""
    children = sorted(c.slug for c in categories.values() if c.parent == category.slug and not c.deleted)
    if children:
        raise Conflict(f"category {category.slug!r} has subcategories {children}; move or delete them first")
    if live_products:
        raise Conflict(f"category {category.slug!r} holds {live_products} products; move or delete them first")


def check_restorable(category: Category, categories: Mapping[str, Category]) -> None:
    if category.parent is not None:
        parent = categories.get(category.parent)
        if parent is None or parent.deleted:
            raise Conflict(f"restore the parent category {category.parent!r} first", field="parent")


# ---------------------------------------------------------------- variants and SKUs
def check_sku(sku: str) -> str:
    if not _SKU.match(sku):
        raise InvalidInput("a SKU is 1-64 letters, digits, '.', '_' or '-', from a letter or digit", field="sku")
    return sku


def sku_key(sku: str) -> str:
    """What makes two SKUs the same: case does not (a warehouse scanner does not distinguish it)."""
    return sku.upper()


def new_variant_id(name: str, taken: Iterable[str]) -> str:
    return unique_slug(name or "variant", taken, what="variant", field="name")


def check_variants(variants: tuple[Variant, ...]) -> None:
    """Within one product: a bounded number, distinct SKUs and ids, distinct option combinations."""
    if len(variants) > MAX_VARIANTS:
        raise InvalidInput(f"a product has at most {MAX_VARIANTS} variants", field="variants")
    keys = [sku_key(v.sku) for v in variants]
    if len(set(keys)) != len(keys):
        raise InvalidInput("variant SKUs must be unique", field="variants")
    if len({v.variant_id for v in variants}) != len(variants):
        raise InvalidInput("variant ids must be unique", field="variants")
    for v in variants:
        check_sku(v.sku)
        if len(v.options) > MAX_OPTIONS:
            raise InvalidInput(f"a variant has at most {MAX_OPTIONS} options", field="options")
    combos = [tuple(sorted(v.options)) for v in variants]
    if len(variants) > 1 and len(set(combos)) != len(combos):
        raise InvalidInput("two variants have the same option values", field="options")


def variant_index(product: Product, variant_id: str) -> int:
    for i, v in enumerate(product.variants):
        if v.variant_id == variant_id:
            return i
    raise NotFound(f"variant {variant_id!r} not found", field="variant")


def without_variant(product: Product, variant_id: str) -> Product:
    i = variant_index(product, variant_id)
    variant = product.variants[i]
    if len(product.variants) == 1:
        raise Conflict("a product keeps at least one variant; delete the product instead", field="variant")
    if variant.reserved:
        raise Conflict(f"variant {variant_id!r} has {variant.reserved} units reserved by checkouts", field="variant")
    return replace(product, variants=product.variants[:i] + product.variants[i + 1 :])


def changed_variant(product: Product, variant: Variant) -> Product:
    """The product with one variant replaced; reserved stays what the product holds (checkout owns it)."""
    i = variant_index(product, variant.variant_id)
    kept = replace(variant, reserved=product.variants[i].reserved)
    return replace(product, variants=(*product.variants[:i], kept, *product.variants[i + 1 :]))


def sku_changes(before: Product | None, after: Product) -> tuple[set[str], set[str]]:
    """(SKUs to claim, SKUs to release), as sku_key values."""
    old = {sku_key(v.sku) for v in before.variants} if before else set()
    new = {sku_key(v.sku) for v in after.variants}
    return new - old, old - new


# ---------------------------------------------------------------- lifecycle
def editable(product: Product) -> Product:
    if product.deleted:
        raise Conflict(f"product {product.slug!r} is deleted; restore it first", field="product")
    return product


def with_status(product: Product, status: ProductStatus) -> Product:
    return replace(editable(product), status=status)
