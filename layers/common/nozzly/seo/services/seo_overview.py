"""The SEO overview: the nightly job computes each store's report; operators read the latest one.

Reading costs the same whatever the store's size: the membership GetItem and the report's GetItem. A store
whose report was not computed yet (opened today) is computed on that first read, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.blog.adapters.posts import PostsRepository
from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.kernel.domain.errors import NotFound
from nozzly.seo.adapters.reports import SeoReportsRepository
from nozzly.seo.domain.pages import site_pages
from nozzly.seo.domain.report import SeoReport, build_report
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require


@dataclass
class SeoRun:
    computed: int = 0
    skipped: int = 0  # closed stores, or stores without a catalog
    out_of_time: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return dict(vars(self))


@dataclass(frozen=True)
class SeoOverview:
    members: MembersRepository
    stores: StoresRepository
    catalog: CatalogAdminRepository
    posts: PostsRepository
    reports: SeoReportsRepository
    clock: Callable[[], float] = field(default=time.time)

    def read(self, store_id: str, caller: str) -> SeoReport:
        require(self.members, store_id, caller, Action.CATALOG_READ)
        found = self.reports.get(store_id)
        return found if found is not None else self.compute(store_id)

    def compute(self, store_id: str) -> SeoReport:
        now = self.clock()
        try:
            categories = self.catalog.categories(store_id).values()
        except NotFound:  # no live catalog (a store being opened or deleted): nothing to judge yet
            categories = {}.values()
        pages = site_pages(self.catalog.all_products(store_id), self.posts.all_of(store_id), categories, now)
        report = build_report(store_id, pages, int(now))
        self.reports.put(report)
        return report

    def run(self, out_of_time: Callable[[], bool] = lambda: False) -> SeoRun:
        run = SeoRun()
        for store_id in self.stores.list_store_ids():
            if out_of_time():
                run.out_of_time = True
                break
            store = self.stores.find(store_id)
            if store is None or not store.is_open:
                run.skipped += 1
                continue
            self.compute(store_id)
            run.computed += 1
        return run
