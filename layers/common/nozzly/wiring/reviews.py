"""Reviews: posting, the storefront's list, moderation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.reviews.services.reviews import Reviews


@factory
def reviews() -> Reviews:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.reviews.adapters.purchases import PurchasesRepository
    from nozzly.reviews.adapters.reviews import ReviewsRepository
    from nozzly.reviews.services.reviews import Reviews
    from nozzly.settings import Settings, load
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(Settings)
    return Reviews(
        stores=StoresRepository(s.stores_table),
        catalog=CatalogRepository(s.catalog_table),
        purchases=PurchasesRepository(s.orders_table),
        members=MembersRepository(s.stores_table),
        reviews=ReviewsRepository(s.customers_table),
        events=EventPublisher(s.event_bus_name),
    )
