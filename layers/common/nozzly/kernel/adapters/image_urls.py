"""Where a browser fetches a kept image: the images CDN when the stack has one, a presigned GET otherwise.

Kept images (`stores/...` keys) are content-addressed and never rewritten, so a CDN URL is the same on every
request and may be cached for a year (`Cache-Control: public, max-age=31536000, immutable`). The CDN
(template: ImagesDistribution) answers `{IMAGES_URL}/{key}`; locally the gateway serves the same paths from the
emulator's bucket. Without IMAGES_URL (a bare test environment) a time-limited presigned GET is answered instead.
"""

from __future__ import annotations

from nozzly.kernel.adapters.aws import client

KEPT_PREFIX = "stores/"  # the only keys the CDN serves: uploads/ and imports/ are unchecked files


class ImageUrls:
    def __init__(self, bucket: str, cdn_url: str = "", ttl_seconds: int = 3600) -> None:
        self.bucket = bucket
        self.cdn_url = cdn_url.rstrip("/")
        self.ttl_seconds = ttl_seconds

    def url(self, key: str) -> str:
        if self.cdn_url and key.startswith(KEPT_PREFIX):
            return f"{self.cdn_url}/{key}"
        # Presigning is local computation: no call to S3 per image.
        url: str = client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=self.ttl_seconds
        )
        return url
