"""The bucket the CDN serves the console from: put, list and delete its objects."""

from __future__ import annotations

from nozzly.console.domain.site_files import PREFIX, SiteObject
from nozzly.kernel.adapters.aws import client


class SiteBucket:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def put(self, item: SiteObject) -> None:
        client("s3").put_object(
            Bucket=self.bucket,
            Key=item.key,
            Body=item.body,
            ContentType=item.content_type,
            CacheControl=item.cache_control,
        )

    def keys(self) -> set[str]:
        """Every console key in the bucket (the index's bare `console` key included)."""
        found: set[str] = set()
        for page in client("s3").get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=PREFIX):
            found.update(o["Key"] for o in page.get("Contents", []))
        return {k for k in found if k == PREFIX or k.startswith(PREFIX + "/")}

    def delete(self, keys: set[str]) -> None:
        ordered = sorted(keys)
        for start in range(0, len(ordered), 1000):  # DeleteObjects takes at most 1000 keys
            batch = [{"Key": k} for k in ordered[start : start + 1000]]
            client("s3").delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
