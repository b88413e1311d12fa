"""Operators' category tree: list, create, rename, move (rewriting affected products' paths), soft delete, restore."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.catalog.domain import catalog_rules as rules
from nozzly.catalog.domain.catalog import Category
from nozzly.catalog.services.catalog_writes import Stale, announce, retrying
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.observability import logger
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

CATEGORY_FIELDS = frozenset({"name", "description", "position", "parent"})


@dataclass(frozen=True, slots=True)
class CategoryAdmin:
    members: MembersRepository
    catalog: CatalogAdminRepository
    events: EventPublisher

    def list(self, store_id: str, operator: str, *, deleted: bool) -> list[Category]:
        """Live categories (deleted=True: the deleted ones), by position then name."""
        require(self.members, store_id, operator, Action.CATALOG_READ)
        found = [c for c in self.catalog.categories(store_id).values() if c.deleted == deleted]
        return sorted(found, key=lambda c: (c.position, c.name))

    def create(
        self, store_id: str, operator: str, *, name: str, description: str, position: int, parent: str | None
    ) -> Category:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> Category:
            categories = self.catalog.categories(store_id)
            rules.check_parent(categories, None, parent)
            slug = rules.unique_slug(name, categories, what="category", field="name")
            category = Category(store_id, slug, name, description, position, parent, version=1)
            tx = Transaction().add("category", self.catalog.category_create_op(category))
            tx.add("path", *(self.catalog.category_unchanged_op(categories[c]) for c in _path(categories, parent)))
            _commit(tx)
            return category

        return retrying("category", attempt)

    def update(
        self, store_id: str, operator: str, slug: str, changes: dict[str, object], expected_version: int | None
    ) -> Category:
        """Rename, reorder or move. A move is refused if it makes a cycle; products below get their new path."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        unknown = set(changes) - CATEGORY_FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])

        def attempt() -> tuple[Category, bool]:
            categories = self.catalog.categories(store_id)
            read = _category(categories, slug)
            if read.deleted:
                raise Conflict(f"category {slug!r} is deleted; restore it first", field="category")
            if expected_version is not None and expected_version != read.version:
                raise Conflict(f"category {slug!r} is at version {read.version}", field="version")
            after = replace(read, **changes)  # type: ignore[arg-type]
            moved = after.parent != read.parent
            tx = Transaction().add("category", self.catalog.category_update_op(after, read.version))
            if moved:
                rules.check_parent(categories, slug, after.parent)
                # The new parent's chain must stay as read: two opposite moves at once cannot make a cycle.
                path = _path(categories, after.parent)
                tx.add("path", *(self.catalog.category_unchanged_op(categories[c]) for c in path))
            _commit(tx)
            return replace(after, version=read.version + 1), moved

        updated, moved = retrying(f"category {slug}", attempt)
        if moved:
            self._rewrite_paths(store_id, slug)
        return updated

    def delete(self, store_id: str, operator: str, slug: str) -> None:
        """Soft delete, refused while live subcategories or products hang on it (they would vanish unseen)."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> None:
            categories = self.catalog.categories(store_id)
            read = _category(categories, slug)
            if read.deleted:
                return
            live = self.catalog.products_where(store_id, category_in_path=slug, live_only=True)
            rules.check_deletable(read, categories, len(live))
            deleted = self.catalog.category_update_op(replace(read, deleted=True), read.version)
            _commit(Transaction().add("category", deleted))

        retrying(f"category {slug}", attempt)
        announce(self.events, store_id, [])

    def restore(self, store_id: str, operator: str, slug: str) -> Category:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> Category:
            categories = self.catalog.categories(store_id)
            read = _category(categories, slug)
            if not read.deleted:
                return read
            rules.check_restorable(read, categories)
            after = replace(read, deleted=False)
            tx = Transaction().add("category", self.catalog.category_update_op(after, read.version))
            tx.add("path", *(self.catalog.category_unchanged_op(categories[c]) for c in _path(categories, read.parent)))
            _commit(tx)
            return replace(after, version=read.version + 1)

        restored = retrying(f"category {slug}", attempt)
        announce(self.events, store_id, [])
        return restored

    def _rewrite_paths(self, store_id: str, moved: str) -> None:
        """Every product below the moved category gets its new path (conditional puts, each retried)."""
        for product in self.catalog.products_where(store_id, category_in_path=moved, live_only=False):
            for _ in range(4):
                categories = self.catalog.categories(store_id)
                current = self.catalog.find_product(store_id, product.slug)
                if current is None or moved not in current.category_path:
                    break
                try:
                    path = rules.category_path(categories, current.category)
                except (NotFound, Conflict):
                    break  # its category went away meanwhile: the product's next write fixes or refuses it
                after = replace(current, category_path=path, version=current.version + 1)
                try:
                    Transaction().add("product", self.catalog.product_put_op(after, current)).commit()
                    break
                except WriteConflict:
                    continue
            else:
                logger.warning("category path not rewritten", extra={"store_id": store_id, "product": product.slug})


def _category(categories: dict[str, Category], slug: str) -> Category:
    found = categories.get(slug)
    if found is None:
        raise NotFound(f"category {slug!r} not found", field="category")
    return found


def _path(categories: dict[str, Category], slug: str | None) -> tuple[str, ...]:
    return rules.category_path(categories, slug) if slug is not None else ()


def _commit(tx: Transaction) -> None:
    try:
        tx.commit()
    except WriteConflict:
        raise Stale from None
