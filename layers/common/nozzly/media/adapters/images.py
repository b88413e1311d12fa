"""Product images in the private images bucket, served to shoppers through time-limited URLs."""

from __future__ import annotations

import posixpath

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.adapters.aws import client
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.media.domain.images import image_content_type


class ProductImages:
    def __init__(self, bucket: str, url_ttl_seconds: int = 3600) -> None:
        self.bucket = bucket
        self.url_ttl_seconds = url_ttl_seconds

    @staticmethod
    def product_key(store_id: str, product_slug: str, position: int, source_key: str) -> str:
        return f"stores/{store_id}/products/{product_slug}/{position:02d}-{posixpath.basename(source_key)}"

    def adopt_staged(self, store_id: str, product_slug: str, position: int, source_key: str, alt: str) -> ProductImage:
        """Copy an image from the import staging area to its product's place (idempotent)."""
        content_type = image_content_type(source_key)
        if content_type is None:
            raise InvalidInput(f"{source_key!r} is not a supported image type", field="images")
        key = self.product_key(store_id, product_slug, position, source_key)
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
        # Presigning is local computation: no call to S3 per image.
        url: str = client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=self.url_ttl_seconds
        )
        return url
