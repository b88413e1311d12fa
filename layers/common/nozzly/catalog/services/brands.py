"""Operators' brands: list, read, create, update, soft delete, restore. Products name a brand by its slug."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nozzly.catalog.adapters.brands import BRAND_PREFIX, BrandLogos, BrandsRepository
from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.catalog.domain import catalog_rules as rules
from nozzly.catalog.domain.brands import Brand, check_logo_key
from nozzly.catalog.services.catalog_writes import Stale, retrying
from nozzly.kernel.adapters.unit_of_work import Transaction, Write, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.slugs import slugify
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

BRAND_FIELDS = frozenset({"name", "description", "logo_key"})


@dataclass(frozen=True, slots=True)
class BrandAdmin:
    members: MembersRepository
    brands: BrandsRepository
    catalog: CatalogAdminRepository
    logos: BrandLogos

    def list(self, store_id: str, operator: str, *, deleted: bool) -> list[Brand]:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        return sorted((b for b in self.brands.all(store_id) if b.deleted == deleted), key=lambda b: b.name.lower())

    def get(self, store_id: str, operator: str, slug: str) -> Brand:
        require(self.members, store_id, operator, Action.CATALOG_READ)
        return self._brand(store_id, slug)

    def create(self, store_id: str, operator: str, *, name: str, description: str, logo_key: str | None) -> Brand:
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        self._check_logo(store_id, logo_key)

        def attempt() -> Brand:
            base = slugify(name)
            taken = self.catalog.taken_slugs(store_id, BRAND_PREFIX, base) if base else set()
            slug = rules.unique_slug(name, taken, what="brand", field="name")
            brand = Brand(store_id, slug, name, description, logo_key, version=1)
            _write(self.brands.put_op(brand, None))
            return brand

        return retrying("brand", attempt)

    def update(
        self, store_id: str, operator: str, slug: str, changes: dict[str, object], expected_version: int | None
    ) -> Brand:
        """Name, description, logo; the slug stays (products refer to it)."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)
        unknown = set(changes) - BRAND_FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])
        if "logo_key" in changes:
            self._check_logo(store_id, changes["logo_key"])  # type: ignore[arg-type]

        def attempt() -> Brand:
            read = self._brand(store_id, slug)
            if read.deleted:
                raise Conflict(f"brand {slug!r} is deleted; restore it first", field="brand")
            if expected_version is not None and expected_version != read.version:
                raise Conflict(f"brand {slug!r} is at version {read.version}", field="version")
            after = replace(read, **changes, version=read.version + 1)  # type: ignore[arg-type]
            _write(self.brands.put_op(after, read.version))
            return after

        return retrying(f"brand {slug}", attempt)

    def set_deleted(self, store_id: str, operator: str, slug: str, deleted: bool) -> Brand:
        """Soft delete or restore. Products keep naming a deleted brand; new ones cannot choose it."""
        require(self.members, store_id, operator, Action.CATALOG_WRITE)

        def attempt() -> Brand:
            read = self._brand(store_id, slug)
            if read.deleted == deleted:
                return read
            after = replace(read, deleted=deleted, version=read.version + 1)
            _write(self.brands.put_op(after, read.version))
            return after

        return retrying(f"brand {slug}", attempt)

    def _brand(self, store_id: str, slug: str) -> Brand:
        found = self.brands.find(store_id, slug)
        if found is None:
            raise NotFound(f"brand {slug!r} not found", field="brand")
        return found

    def _check_logo(self, store_id: str, key: str | None) -> None:
        if check_logo_key(store_id, key) is not None and not self.logos.exists(key):  # type: ignore[arg-type]
            raise InvalidInput(f"no image {key!r} in the store's images", field="logo_key")


def _write(write: Write) -> None:
    try:
        Transaction().add("brand", write).commit()
    except WriteConflict:
        raise Stale from None
