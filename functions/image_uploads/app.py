"""Operators' images: a product's (presigned uploads checked by ImageProcessor, upload status, delete, arrange),
a category's banner and a brand's logo (the same uploads and checks; one image each, replaced by the next).

The store id comes from the path and the caller from the verified token; services.tenancy decides.
"""

from __future__ import annotations

from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.media.contracts import image_uploads as contracts
from nozzly.media.domain.image_uploads import ImageOwner
from nozzly.wiring import media

OPERATORS = Realm()
PREFIX = "/admin/stores/{store}/products/{product}/images"
router = APIRouter(prefix=PREFIX, responses={s: {"model": ErrorResponse} for s in (401, 403, 409)})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
ProductSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The product's slug.")]
CategorySlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The category's slug.")]
BrandSlug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The brand's slug.")]
Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _operator(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.post("/uploads", status_code=201, response_model=contracts.StartedUploadOut)
def start_upload(
    store: StoreId, product: ProductSlug, body: contracts.StartUploadIn, request: Request, response: Response
) -> contracts.StartedUploadOut:
    from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES

    admin = media.image_admin()
    started = admin.start_upload(store, _operator(request), product, body.content_type, body.alt)
    status_url = f"{PREFIX.format(store=store, product=product)}/uploads/{started.upload.upload_id}"
    response.headers["location"] = status_url
    response.headers["cache-control"] = "no-store"  # the link is a credential
    return contracts.StartedUploadOut(
        id=started.upload.upload_id,
        url=started.url,
        fields=started.fields,
        max_bytes=MAX_UPLOAD_BYTES,
        expires_at=started.upload.expires_at,
        status_url=status_url,
    )


@router.get("/uploads/{upload}", response_model=contracts.UploadOut)
def get_upload(
    store: StoreId, product: ProductSlug, upload: Id, request: Request, response: Response
) -> contracts.UploadOut:
    admin, images = media.image_admin(), media.product_images()
    found = admin.upload(store, _operator(request), product, upload)
    response.headers["cache-control"] = "no-store"  # polled while it changes
    return contracts.upload_out(found, images.url)


@router.delete("/{image}", status_code=204)
def delete_image(store: StoreId, product: ProductSlug, image: Id, request: Request) -> Response:
    media.image_admin().delete_image(store, _operator(request), product, image)
    return Response(status_code=204)


@router.patch("", response_model=contracts.ImagesOut)
def arrange_images(
    store: StoreId, product: ProductSlug, body: contracts.ArrangeImagesIn, request: Request
) -> contracts.ImagesOut:
    admin, images = media.image_admin(), media.product_images()
    arranged = admin.arrange(store, _operator(request), product, body.arrangement())
    return contracts.ImagesOut(items=[contracts.image_out(i, images.url) for i in arranged])


# ---------------------------------------------------------------- category banners and brand logos
owned = APIRouter(prefix="/admin/stores/{store}", responses={s: {"model": ErrorResponse} for s in (401, 403, 409)})
CATEGORY_IMAGE = "/categories/{category}/image"
BRAND_LOGO = "/brands/{brand}/logo"


def _start_owned(
    store: str,
    target: tuple[ImageOwner, str, str],  # (kind, slug, the routes' path below the store)
    body: contracts.StartUploadIn,
    request: Request,
    response: Response,
) -> contracts.StartedUploadOut:
    from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES

    kind, owner, base = target
    started = media.owner_image_admin().start_upload(
        store, _operator(request), kind, owner, content_type=body.content_type, alt=body.alt
    )
    status_url = f"/admin/stores/{store}{base}/uploads/{started.upload.upload_id}"
    response.headers["location"] = status_url
    response.headers["cache-control"] = "no-store"  # the link is a credential
    return contracts.StartedUploadOut(
        id=started.upload.upload_id,
        url=started.url,
        fields=started.fields,
        max_bytes=MAX_UPLOAD_BYTES,
        expires_at=started.upload.expires_at,
        status_url=status_url,
    )


def _owned_upload(
    store: str, target: tuple[ImageOwner, str], upload: str, request: Request, response: Response
) -> contracts.OwnedUploadOut:
    kind, owner = target
    found = media.owner_image_admin().upload(store, _operator(request), kind, owner, upload)
    response.headers["cache-control"] = "no-store"  # polled while it changes
    return contracts.owned_upload_out(found, media.product_images().url)


@owned.post(CATEGORY_IMAGE + "/uploads", status_code=201, response_model=contracts.StartedUploadOut)
def start_category_image_upload(
    store: StoreId, category: CategorySlug, body: contracts.StartUploadIn, request: Request, response: Response
) -> contracts.StartedUploadOut:
    base = CATEGORY_IMAGE.format(category=category)
    return _start_owned(store, (ImageOwner.CATEGORY, category, base), body, request, response)


@owned.get(CATEGORY_IMAGE + "/uploads/{upload}", response_model=contracts.OwnedUploadOut)
def get_category_image_upload(
    store: StoreId, category: CategorySlug, upload: Id, request: Request, response: Response
) -> contracts.OwnedUploadOut:
    return _owned_upload(store, (ImageOwner.CATEGORY, category), upload, request, response)


@owned.delete(CATEGORY_IMAGE, status_code=204)
def delete_category_image(store: StoreId, category: CategorySlug, request: Request) -> Response:
    media.owner_image_admin().delete_image(store, _operator(request), ImageOwner.CATEGORY, category)
    return Response(status_code=204)


@owned.post(BRAND_LOGO + "/uploads", status_code=201, response_model=contracts.StartedUploadOut)
def start_brand_logo_upload(
    store: StoreId, brand: BrandSlug, body: contracts.StartUploadIn, request: Request, response: Response
) -> contracts.StartedUploadOut:
    return _start_owned(store, (ImageOwner.BRAND, brand, BRAND_LOGO.format(brand=brand)), body, request, response)


@owned.get(BRAND_LOGO + "/uploads/{upload}", response_model=contracts.OwnedUploadOut)
def get_brand_logo_upload(
    store: StoreId, brand: BrandSlug, upload: Id, request: Request, response: Response
) -> contracts.OwnedUploadOut:
    return _owned_upload(store, (ImageOwner.BRAND, brand), upload, request, response)


@owned.delete(BRAND_LOGO, status_code=204)
def delete_brand_logo(store: StoreId, brand: BrandSlug, request: Request) -> Response:
    media.owner_image_admin().delete_image(store, _operator(request), ImageOwner.BRAND, brand)
    return Response(status_code=204)


app = build_app("Nozzly product, category and brand images", [router, owned])
handler = http_handler(app)
