"""Operators manage a store's coupons (promotions.manage: admins and the owner, as a coupon gives money away).

Every call checks the caller first (services.tenancy), so a non-member learns nothing, not even whether a
code exists. Deleting a coupon leaves carts holding it alone: they show "this code no longer exists".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupon_admin import CouponTerms, added_targets, changed, check_targets, new_coupon
from nozzly.promotions.domain.coupons import Coupon, normalise_code
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require


@dataclass(frozen=True)
class Promotions:
    members: MembersRepository
    stores: StoresRepository
    coupons: CouponsRepository
    catalog: CatalogAdminRepository

    def list(self, store_id: str, caller: str) -> list[Coupon]:
        require(self.members, store_id, caller, Action.PROMOTIONS_MANAGE)
        return self.coupons.of_store(store_id)

    def get(self, store_id: str, caller: str, raw_code: str) -> Coupon:
        require(self.members, store_id, caller, Action.PROMOTIONS_MANAGE)
        return self._existing(store_id, raw_code)

    def create(self, store_id: str, caller: str, raw_code: str, terms: CouponTerms) -> Coupon:
        require(self.members, store_id, caller, Action.PROMOTIONS_MANAGE)
        coupon = new_coupon(self.stores.get(store_id), raw_code, terms)
        self._check_targets(None, coupon)
        self.coupons.create(coupon)  # 409 naming code when it exists
        return coupon

    def update(self, store_id: str, caller: str, raw_code: str, changes: Mapping[str, object]) -> Coupon:
        require(self.members, store_id, caller, Action.PROMOTIONS_MANAGE)
        before = self._existing(store_id, raw_code)
        after = changed(before, changes)
        self._check_targets(before, after)
        self.coupons.replace(before, after)
        return after

    def delete(self, store_id: str, caller: str, raw_code: str) -> None:
        require(self.members, store_id, caller, Action.PROMOTIONS_MANAGE)
        if not self.coupons.delete(store_id, _code(raw_code)):
            raise NotFound("no such coupon", field="code")

    def _existing(self, store_id: str, raw_code: str) -> Coupon:
        coupon = self.coupons.get(store_id, _code(raw_code))
        if coupon is None:
            raise NotFound("no such coupon", field="code")
        return coupon

    def _check_targets(self, before: Coupon | None, after: Coupon) -> None:
        """Reads the catalog only for slugs the change adds: most changes read nothing."""
        added = added_targets(before, after)
        products: set[str] = set()
        categories: set[str] = set()
        if added["products"]:
            found = self.catalog.products(after.store_id, sorted(added["products"]))
            products = {slug for slug, p in found.items() if not p.deleted}
        if added["categories"]:
            categories = {slug for slug, c in self.catalog.categories(after.store_id).items() if not c.deleted}
        check_targets(before, after, products, categories)


def _code(raw: str) -> str:
    """A code in a path that could never have been created names no coupon: 404, not 400."""
    try:
        return normalise_code(raw)
    except InvalidInput as exc:
        raise NotFound("no such coupon", field="code") from exc
