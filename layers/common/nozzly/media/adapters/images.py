"""Product images in the private images bucket, served to shoppers through the images CDN (kernel image_urls)."""

from __future__ import annotations

import posixpath

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.adapters.aws import client
from nozzly.kernel.adapters.image_urls import ImageUrls
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.media.domain.images import image_content_type


class ProductImages:
    def __init__(self, bucket: str, url_ttl_seconds: int = 3600, cdn_url: str = "") -> None:
        self.bucket = bucket
        self.urls = ImageUrls(bucket, cdn_url, url_ttl_seconds)

    @staticmethod
    def product_key(store_id: str, product_slug: str, position: int, source_key: str, tag: str) -> str:
        """The kept copy's key: its position, the staged file's tag (content-addressed: a re-import of another
        file under the same name gets another URL) and its name."""
        return f"stores/{store_id}/products/{product_slug}/{position:02d}-{tag}-{posixpath.basename(source_key)}"

    def adopt_staged(self, store_id: str, product_slug: str, position: int, source_key: str, alt: str) -> ProductImage:
        """Copy an image from the import staging area to its product's place (idempotent)."""
        content_type = image_content_type(source_key)
        if content_type is None:
            raise InvalidInput(f"{source_key!r} is not a supported image type", field="images")
        # The staged file's ETag is its MD5 (a single-part upload): its content tag without reading it here.
        etag = str(client("s3").head_object(Bucket=self.bucket, Key=source_key)["ETag"]).strip('"')
        key = self.product_key(store_id, product_slug, position, source_key, etag[:16])
        client("s3").copy_object(
            Bucket=self.bucket,
            Key=key,
            CopySource={"Bucket": self.bucket, "Key": source_key},
            ContentType=content_type,
            MetadataDirective="REPLACE",
            CacheControl="public, max-age=31536000, immutable",
        )
        return ProductImage(key=key, alt=alt, content_type=content_type)

    def url(self, key: str) -> str:
        return self.urls.url(key)
