"""The blog (operators' posts, the storefront's reads, the weekly AI draft) and the SEO overview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from collections.abc import Callable

    from nozzly.blog.adapters.posts import PostsRepository
    from nozzly.blog.services.blog_admin import BlogAdmin
    from nozzly.blog.services.blog_reading import BlogReading
    from nozzly.blog.services.drafter import BlogDrafter
    from nozzly.seo.services.seo_overview import SeoOverview
    from nozzly.settings import BlogSettings


def _settings() -> BlogSettings:
    from nozzly.settings import BlogSettings, load

    return load(BlogSettings)


@factory
def posts() -> PostsRepository:
    from nozzly.blog.adapters.posts import PostsRepository

    return PostsRepository(_settings().content_table)


@factory
def image_url() -> Callable[[str], str]:
    """A cover image's public URL from its key (the images CDN)."""
    from nozzly.media.adapters.images import ProductImages

    s = _settings()
    return ProductImages(s.images_bucket, s.image_url_ttl_seconds, s.images_url).url


@factory
def blog_admin() -> BlogAdmin:
    from nozzly.blog.services.blog_admin import BlogAdmin
    from nozzly.stores.adapters.store_members import MembersRepository

    return BlogAdmin(members=MembersRepository(_settings().stores_table), posts=posts())


@factory
def blog_reading() -> BlogReading:
    from nozzly.blog.services.blog_reading import BlogReading
    from nozzly.stores.adapters.stores import StoresRepository

    return BlogReading(stores=StoresRepository(_settings().stores_table), posts=posts())


@factory
def blog_drafter() -> BlogDrafter:
    from nozzly.blog.services.drafter import BlogDrafter
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.imports.adapters.ai_budget import AiBudgetRepository
    from nozzly.imports.adapters.bedrock import BedrockConverse
    from nozzly.settings import BlogDrafterSettings, load
    from nozzly.stores.adapters.stores import StoresRepository

    s = load(BlogDrafterSettings)
    return BlogDrafter(
        stores=StoresRepository(s.stores_table),
        catalog=CatalogAdminRepository(s.catalog_table),
        posts=posts(),
        bedrock=BedrockConverse(s.bedrock_model_id, endpoint_url=s.bedrock_endpoint_url),
        budget=AiBudgetRepository(s.stores_table),
        daily_tokens=s.ai_daily_tokens,
    )


@factory
def seo_overview() -> SeoOverview:
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.seo.adapters.reports import SeoReportsRepository
    from nozzly.seo.services.seo_overview import SeoOverview
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = _settings()
    return SeoOverview(
        members=MembersRepository(s.stores_table),
        stores=StoresRepository(s.stores_table),
        catalog=CatalogAdminRepository(s.catalog_table),
        posts=posts(),
        reports=SeoReportsRepository(s.content_table),
    )
