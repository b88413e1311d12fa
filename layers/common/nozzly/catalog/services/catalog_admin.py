"""Operators' products: create, read, list, update, soft delete, restore, bulk status; variants; stock.

Reads and writes through CatalogAdminRepository; every write is conditional (versions, SKU guard items, the
category path's categories) and retried from a fresh read when it races (services.catalog_writes).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nozzly.billing.domain.plans import Limit
from nozzly.billing.services.plan_guard import PLAN_PART, PlanGuard
from nozzly.catalog.adapters.brands import BrandsRepository
from nozzly.catalog.adapters.catalog_admin import AdminProductPage, CatalogAdminRepository
from nozzly.catalog.adapters.catalog_codec import PRODUCT_PREFIX
from nozzly.catalog.adapters.stock_ledger import AdjustmentPage, StockLedger
from nozzly.catalog.domain import catalog_rules as rules
from nozzly.catalog.domain.admin_search import product_query
from nozzly.catalog.domain.catalog import Category, Product, ProductStatus, Store, Variant
from nozzly.catalog.domain.catalog_rules import NewProduct, NewVariant
from nozzly.catalog.domain.stock import AdjustmentReason, StockAdjustment, adjusted_on_hand
from nozzly.catalog.services.catalog_writes import (
    PRODUCT_CREATED,
    PRODUCT_DELETED,
    PRODUCT_UPDATED,
    Stale,
    announce_changes,
    now_ms,
    retrying,
)
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.adapters.unit_of_work import Transaction, Write, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.slugs import slugify
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

MAX_BULK = 100  # one transaction
PRODUCTS = Limit.PRODUCTS_PER_STORE


# Product fields an operator may change with PATCH (variants have their own routes, images theirs).
PRODUCT_FIELDS = frozenset(
    {"title", "description", "brand", "category", "status", "price", "compare_at_price", "cost"}
    | {"seo_title", "seo_description", "tags"}
)
VARIANT_FIELDS = frozenset({"title", "sku", "options", "price", "low_stock_threshold", "weight_grams"})


@dataclass(frozen=True, slots=True)
class CatalogAdmin:
    members: MembersRepository
    stores: StoresRepository
    catalog: CatalogAdminRepository
    brands: BrandsRepository
    ledger: StockLedger
    events: EventPublisher
    plan: PlanGuard

    # ---------------------------------------------------------------- reads
    def list_products(
        self,
        store_id: str,
        operator: str,
        *,
        status: ProductStatus | None,
        deleted: bool,
        category: str | None,
        q: str | None = None,
        cursor: str | None,
        limit: int,
    ) -> AdminProductPage:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        return self.catalog.list_products(
            store_id,
            status=status,
            deleted=deleted,
            category=category,
            query=product_query(q),
            cursor=cursor,
            limit=limit,
        )

    def get_product(self, store_id: str, operator: str, slug: str) -> Product:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        return self._product(store_id, slug)

    def list_adjustments(
        self, store_id: str, operator: str, slug: str, variant: str, *, cursor: str | None, limit: int
    ) -> AdjustmentPage:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        rules.variant_index(self._product(store_id, slug), variant)
        return self.ledger.list(store_id, slug, variant, cursor=cursor, limit=limit)

    # ---------------------------------------------------------------- products
    def create_product(self, store_id: str, operator: str, new: NewProduct) -> Product:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        store = self._store(store_id)

        def attempt() -> Product:
            base = slugify(new.title)
            taken = self.catalog.taken_slugs(store_id, PRODUCT_PREFIX, base) if base else set()
            slug = rules.unique_slug(new.title, taken, what="product")
            ids: list[str] = []
            variants = []
            for v in new.variants:
                ids.append(rules.new_variant_id(v.name, ids))
                variants.append(
                    Variant(
                        ids[-1],
                        v.sku,
                        v.name,
                        v.stock_on_hand,
                        0,
                        v.low_stock_threshold,
                        v.price,
                        v.options,
                        weight_grams=v.weight_grams,
                    )
                )
            product = Product(
                store_id=store_id,
                slug=slug,
                title=new.title,
                price=new.price,
                category=new.category,
                description=new.description,
                compare_at_price=new.compare_at_price,
                status=new.status,
                tags=new.tags,
                variants=tuple(variants),
                brand=new.brand,
                cost=new.cost,
                seo_title=new.seo_title,
                seo_description=new.seo_description,
                created_at=now_ms() // 1000,
                version=0,
            )
            slot = self.plan.taking(
                store_id, store.owner, PRODUCTS, self._live_count(store_id)
            )  # the plan's room, checked in the same write
            return self._save(None, product, store.currency, brand_changed=new.brand is not None, slot=slot)

        created = retrying("product", attempt)
        announce_changes(self.events, store_id, [(PRODUCT_CREATED, created)])
        return created

    def update_product(
        self, store_id: str, operator: str, slug: str, changes: dict[str, Any], expected_version: int | None
    ) -> Product:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        unknown = set(changes) - PRODUCT_FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])
        currency = self._currency(store_id)

        def attempt() -> Product:
            read = rules.editable(self._product(store_id, slug))
            if expected_version is not None and expected_version != read.version:
                raise Conflict(
                    f"product {slug!r} is at version {read.version}, not {expected_version}", field="version"
                )
            changed = replace(read, **_product_changes(changes))
            return self._save(read, changed, currency, brand_changed=changed.brand != read.brand)

        updated = retrying(f"product {slug}", attempt)
        announce_changes(self.events, store_id, [(PRODUCT_UPDATED, updated)])
        return updated

    def delete_product(self, store_id: str, operator: str, slug: str) -> None:
        """Soft delete: off the storefront and the default lists; SKUs and slug stay held for a restore."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> Product | None:
            read = self._product(store_id, slug)
            if read.deleted:
                return None  # deleted before (a repeated request): nothing changes, nothing is announced
            freed = self.plan.giving_back(store_id, PRODUCTS)  # a deleted product no longer counts
            return self._save(
                read, replace(read, deleted=True), None, brand_changed=False, check_path=False, slot=freed
            )

        deleted = retrying(f"product {slug}", attempt)
        if deleted is not None:
            announce_changes(self.events, store_id, [(PRODUCT_DELETED, deleted)])

    def restore_product(self, store_id: str, operator: str, slug: str) -> Product:
        """Back as it was; its category path must be live again (restore a deleted category first)."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        owner = self._store(store_id).owner

        def attempt() -> tuple[Product, bool]:
            read = self._product(store_id, slug)
            if not read.deleted:
                return read, False
            slot = self.plan.taking(
                store_id, owner, PRODUCTS, self._live_count(store_id)
            )  # a restored product counts again: it needs room
            return self._save(read, replace(read, deleted=False), None, brand_changed=False, slot=slot), True

        restored, changed = retrying(f"product {slug}", attempt)
        if changed:  # product.updated with deleted false: integrators see it back under the same slug
            announce_changes(self.events, store_id, [(PRODUCT_UPDATED, restored)])
        return restored

    def bulk_status(self, store_id: str, operator: str, slugs: list[str], status: ProductStatus) -> list[Product]:
        """All of them or none, in one transaction. Only products not yet in that status are written (and each
        announced once), so the same request sent again writes and announces nothing."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        if not 0 < len(slugs) <= MAX_BULK or len(set(slugs)) != len(slugs):
            raise InvalidInput(f"name 1 to {MAX_BULK} distinct products", field="products")

        def attempt() -> tuple[list[Product], list[Product]]:
            found = self.catalog.products(store_id, slugs)
            missing = [s for s in slugs if s not in found or found[s].deleted]
            if missing:
                raise NotFound(f"products not found: {missing}", field="products")
            after = {s: replace(rules.with_status(found[s], status), version=found[s].version + 1) for s in slugs}
            changed = [after[s] for s in slugs if found[s].status is not status]
            try:
                if changed:
                    puts = (self.catalog.product_put_op(p, found[p.slug]) for p in changed)
                    Transaction().add("products", *puts).commit()
            except WriteConflict:
                raise Stale from None
            return [after[s] if found[s].status is not status else found[s] for s in slugs], changed

        products, changed = retrying("products", attempt)
        announce_changes(self.events, store_id, [(PRODUCT_UPDATED, p) for p in changed])
        return products

    # ---------------------------------------------------------------- variants
    def add_variant(self, store_id: str, operator: str, slug: str, new: NewVariant) -> Product:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        currency = self._currency(store_id)

        def attempt() -> Product:
            read = rules.editable(self._product(store_id, slug))
            variant_id = rules.new_variant_id(new.name, [v.variant_id for v in read.variants])
            variant = Variant(
                variant_id,
                new.sku,
                new.name,
                new.stock_on_hand,
                0,
                new.low_stock_threshold,
                new.price,
                new.options,
                weight_grams=new.weight_grams,
            )
            after = replace(read, variants=(*read.variants, variant))
            return self._save(read, after, currency, brand_changed=False)

        return self._updated(store_id, retrying(f"product {slug}", attempt))

    def update_variant(
        self, store_id: str, operator: str, slug: str, variant_id: str, changes: dict[str, Any]
    ) -> Product:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        unknown = set(changes) - VARIANT_FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])
        currency = self._currency(store_id)

        def attempt() -> Product:
            read = rules.editable(self._product(store_id, slug))
            variant = read.variants[rules.variant_index(read, variant_id)]
            after = rules.changed_variant(read, replace(variant, **changes))
            return self._save(read, after, currency, brand_changed=False)

        return self._updated(store_id, retrying(f"product {slug}", attempt))

    def delete_variant(self, store_id: str, operator: str, slug: str, variant_id: str) -> Product:
        """Gone for good (its SKU is free again); a product keeps at least one variant."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> Product:
            read = rules.editable(self._product(store_id, slug))
            return self._save(read, rules.without_variant(read, variant_id), None, brand_changed=False)

        return self._updated(store_id, retrying(f"product {slug}", attempt))

    # ---------------------------------------------------------------- stock
    def adjust_stock(
        self,
        store_id: str,
        operator: str,
        slug: str,
        variant_id: str,
        *,
        delta: int,
        reason: AdjustmentReason,
        note: str,
    ) -> tuple[StockAdjustment, Product]:
        """Change one variant's stock on hand and record why, in one transaction."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> tuple[StockAdjustment, Product]:
            read = rules.editable(self._product(store_id, slug))
            index = rules.variant_index(read, variant_id)
            on_hand = adjusted_on_hand(read.variants[index], delta)
            at = now_ms()
            adjustment = StockAdjustment(
                store_id, slug, variant_id, delta, reason, note, on_hand, operator, at, secrets.token_hex(6)
            )
            try:
                tx = Transaction().add("product", self.catalog.stock_op(read, index, on_hand))
                tx.add("ledger", self.ledger.entry_op(adjustment)).commit()
            except WriteConflict:
                raise Stale from None
            variants = list(read.variants)
            variants[index] = replace(variants[index], stock_on_hand=on_hand)
            return adjustment, replace(read, variants=tuple(variants), version=read.version + 1)

        return retrying(f"product {slug}", attempt)

    # ---------------------------------------------------------------- internals
    def _updated(self, store_id: str, product: Product) -> Product:
        announce_changes(self.events, store_id, [(PRODUCT_UPDATED, product)])  # a variant's change: product.updated
        return product

    def _product(self, store_id: str, slug: str) -> Product:
        found = self.catalog.find_product(store_id, slug)
        if found is None:
            raise NotFound(f"product {slug!r} not found", field="product")
        return found

    def _currency(self, store_id: str) -> str:
        return self._store(store_id).currency

    def _live_count(self, store_id: str) -> Callable[[], int]:
        return lambda: self.catalog.count_live_products(store_id)

    def _store(self, store_id: str) -> Store:
        store = self.stores.find(store_id)
        if store is None:
            raise NotFound(f"store {store_id!r} not found", field="store")
        return store

    def _save(
        self,
        read: Product | None,
        after: Product,
        currency: str | None,
        *,
        brand_changed: bool,
        check_path: bool = True,
        slot: Sequence[Write] = (),
    ) -> Product:
        """Validate the whole product, then write it with every condition it depends on; Stale if one moved."""
        if currency is not None:
            _check_currency(after, currency)
        rules.check_variants(after.variants)
        path_categories: list[Category] = []
        if check_path:
            categories = self.catalog.categories(after.store_id)
            after = replace(after, category_path=rules.category_path(categories, after.category))
            path_categories = [categories[c] for c in after.category_path]
        after = replace(after, version=(read.version if read else 0) + 1)
        tx = Transaction().add("product", self.catalog.product_put_op(after, read))
        tx.add("path", *(self.catalog.category_unchanged_op(c) for c in path_categories))
        tx.add(PLAN_PART, *slot)
        if brand_changed and after.brand is not None:
            brand = self.brands.find(after.store_id, after.brand)
            if brand is None or brand.deleted:
                raise NotFound(f"brand {after.brand!r} not found", field="brand")
            tx.add("brand", self.brands.live_op(after.store_id, after.brand))
        claims, releases = rules.sku_changes(read, after)
        by_key = {rules.sku_key(v.sku): v.sku for v in after.variants}
        for key in sorted(claims):  # one part per SKU: a clash names the SKU taken
            tx.add(f"sku:{key}", self.catalog.sku_claim_op(after.store_id, after.slug, by_key[key]))
        tx.add("released skus", *(self.catalog.sku_release_op(after.store_id, after.slug, k) for k in sorted(releases)))
        try:
            tx.commit()
        except WriteConflict as clash:
            clashes = [by_key[k] for k in sorted(claims) if f"sku:{k}" in clash.failed]
            if clashes:
                owner = self.catalog.sku_owner(after.store_id, clashes[0])
                raise Conflict(f"SKU {clashes[0]!r} already belongs to product {owner!r}", field="sku") from None
            raise Stale from None  # the plan part too: the usage moved, judge the room again
        return after


def _check_currency(product: Product, currency: str) -> None:
    prices = [product.price, product.compare_at_price, product.cost, *(v.price for v in product.variants)]
    if any(p is not None and p.currency != currency for p in prices):
        raise InvalidInput(f"prices must be in the store's currency {currency}", field="price")


def _product_changes(changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(changes)
    if "tags" in out:
        out["tags"] = tuple(out["tags"])
    return out
