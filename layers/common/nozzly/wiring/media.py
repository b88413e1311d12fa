"""Media: operators' product images, category banners and brand logos, and the processing of uploads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.media.adapters.images import ProductImages
    from nozzly.media.services.image_processing import ImageProcessor
    from nozzly.media.services.image_uploads import ImageAdmin
    from nozzly.media.services.logo_uploads import LogoUploads
    from nozzly.media.services.owner_images import OwnerImageAdmin


@factory
def image_admin() -> ImageAdmin:
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.media.adapters.image_uploads import UploadsRepository
    from nozzly.media.adapters.product_images import ProductImagesRepository
    from nozzly.media.services.image_uploads import ImageAdmin
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_members import MembersRepository

    s = get_settings()
    return ImageAdmin(
        members=MembersRepository(s.stores_table),
        uploads=UploadsRepository(s.catalog_table),
        products=ProductImagesRepository(s.catalog_table),
        files=ImageFiles(s.images_bucket),
    )


@factory
def product_images() -> ProductImages:
    """Image URLs (signed for the configured time)."""
    from nozzly.media.adapters.images import ProductImages
    from nozzly.settings import get_settings

    s = get_settings()
    return ProductImages(s.images_bucket, s.image_url_ttl_seconds, s.images_url)


@factory
def image_processor() -> ImageProcessor:
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.media.adapters.image_uploads import UploadsRepository
    from nozzly.media.adapters.owner_images import OwnerImagesRepository
    from nozzly.media.adapters.product_images import ProductImagesRepository
    from nozzly.media.services.image_processing import ImageProcessor
    from nozzly.settings import get_settings

    s = get_settings()
    return ImageProcessor(
        uploads=UploadsRepository(s.catalog_table),
        products=ProductImagesRepository(s.catalog_table),
        files=ImageFiles(s.images_bucket),
        owners=OwnerImagesRepository(s.catalog_table),
    )


@factory
def owner_image_admin() -> OwnerImageAdmin:
    """Category banners and brand logos."""
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.media.adapters.image_uploads import UploadsRepository
    from nozzly.media.adapters.owner_images import OwnerImagesRepository
    from nozzly.media.services.owner_images import OwnerImageAdmin
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_members import MembersRepository

    s = get_settings()
    return OwnerImageAdmin(
        members=MembersRepository(s.stores_table),
        uploads=UploadsRepository(s.catalog_table),
        owners=OwnerImagesRepository(s.catalog_table),
        files=ImageFiles(s.images_bucket),
    )


@factory
def logo_uploads() -> LogoUploads:
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.media.services.logo_uploads import LogoUploads
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_members import MembersRepository

    s = get_settings()
    return LogoUploads(MembersRepository(s.stores_table), ImageFiles(s.images_bucket))
