"""Image bodies for operators (product images, category banners, brand logos), and the S3 event the image
processor receives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict, Field

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.media.domain.image_checks import MAX_IMAGES_PER_PRODUCT
from nozzly.media.domain.image_uploads import MAX_ALT_LENGTH, Arrangement, Upload, image_ref

UrlFor = Callable[[str], str]
ImageType = Literal["image/png", "image/jpeg", "image/webp", "image/gif"]
Alt = Annotated[str, Field(max_length=MAX_ALT_LENGTH, description="Alternative text for people who cannot see it.")]
ImageId = Annotated[str, Field(min_length=1, max_length=64)]


class StartUploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content_type: ImageType = Field(description="The file's type; S3 refuses the upload with any other.")
    alt: Alt = ""


class StartedUploadOut(BaseModel):
    id: str
    status: Literal["pending"] = "pending"
    url: str = Field(description="POST the file here as multipart/form-data.")
    fields: dict[str, str] = Field(description="Form fields to send as they are, before the `file` field.")
    max_bytes: int
    expires_at: int = Field(description="Epoch seconds; the link is refused after it.")
    status_url: str = Field(description="Poll it until status is accepted or rejected.")


class ProductImageOut(BaseModel):
    id: str
    url: str = Field(description="The original's stable URL on the images CDN.")
    alt: str
    content_type: str
    renditions: dict[str, str] = Field(description="Stable CDN URLs of WebP copies by width in px.")


class UploadOut(BaseModel):
    id: str
    product: str
    status: Literal["pending", "accepted", "rejected"]
    reason: str | None = Field(description="Why the file was rejected, for a person to read.")
    image: ProductImageOut | None = Field(description="The product image it became, once accepted.")
    created_at: int


class OwnedUploadOut(BaseModel):
    id: str
    kind: Literal["category", "brand"] = Field(
        description="What the image is for: a category's banner, a brand's logo."
    )
    owner: str = Field(description="The category's or brand's slug.")
    status: Literal["pending", "accepted", "rejected"]
    reason: str | None = Field(description="Why the file was rejected, for a person to read.")
    image: ProductImageOut | None = Field(
        description="The image it became, once accepted (it replaced the one before)."
    )
    created_at: int


class ArrangedImageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: ImageId
    alt: Alt | None = Field(default=None, description="A new alternative text; absent keeps the current one.")


class ArrangeImagesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    images: list[ArrangedImageIn] = Field(
        max_length=MAX_IMAGES_PER_PRODUCT, description="Every image of the product, once each, first shown first."
    )

    def arrangement(self) -> Arrangement:
        return Arrangement(order=tuple(i.id for i in self.images), alts={i.id: i.alt for i in self.images})


class ImagesOut(BaseModel):
    items: list[ProductImageOut]


def image_out(image: ProductImage, url_for: UrlFor) -> ProductImageOut:
    return ProductImageOut(
        id=image_ref(image),
        url=url_for(image.key),
        alt=image.alt,
        content_type=image.content_type,
        renditions={str(width): url_for(key) for width, key in image.renditions},
    )


def upload_out(upload: Upload, url_for: UrlFor) -> UploadOut:
    return UploadOut(
        id=upload.upload_id,
        product=upload.owner,
        status=upload.status.value,
        reason=upload.reason,
        image=image_out(upload.image, url_for) if upload.image else None,
        created_at=upload.created_at,
    )


def owned_upload_out(upload: Upload, url_for: UrlFor) -> OwnedUploadOut:
    return OwnedUploadOut(
        id=upload.upload_id,
        kind=upload.kind.value,  # type: ignore[arg-type]  # a category or brand upload: its routes checked it
        owner=upload.owner,
        status=upload.status.value,
        reason=upload.reason,
        image=image_out(upload.image, url_for) if upload.image else None,
        created_at=upload.created_at,
    )


# ---- the S3 event (the fields the processor reads; S3 sends more)
class _S3Object(BaseModel):
    key: str = Field(description="URL-encoded, as S3 sends it.")
    size: int = 0


class _S3Entity(BaseModel):
    object: _S3Object


class S3Record(BaseModel):
    eventName: str  # S3's field names
    s3: _S3Entity

    @property
    def key(self) -> str:
        return unquote_plus(self.s3.object.key)


class S3Event(BaseModel):
    Records: list[S3Record]  # S3's field names
