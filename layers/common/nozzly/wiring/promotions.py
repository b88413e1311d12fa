"""Promotions: operators' coupons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.promotions.services.promotions import Promotions


@factory
def promotions() -> Promotions:
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.promotions.adapters.coupons import CouponsRepository
    from nozzly.promotions.services.promotions import Promotions
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(Settings)
    return Promotions(
        members=MembersRepository(s.stores_table),
        stores=StoresRepository(s.stores_table),
        coupons=CouponsRepository(s.stores_table),
        catalog=CatalogAdminRepository(s.catalog_table),
    )
