"""Image files in the images bucket: presigned uploads under `uploads/`, kept originals and WebP renditions.

Layout: `uploads/{store}/{product}/{upload id}` (a file being checked, deleted once processed) and
`stores/{store}/products/{product}/images/{image id}/original.{ext}` and `.../{width}.webp`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters.aws import client
from nozzly.media.domain.image_checks import extension

UPLOADS = "uploads/"
IMMUTABLE = "public, max-age=31536000, immutable"  # an image id's files never change


@dataclass(frozen=True, slots=True)
class UploadedObject:
    key: str
    size: int
    version_id: str | None


def upload_key(store_id: str, product: str, upload_id: str) -> str:
    return f"{UPLOADS}{store_id}/{product}/{upload_id}"


def parse_upload_key(key: str) -> tuple[str, str, str] | None:
    """(store, product, upload id) of an upload's key; None for any other key."""
    if not key.startswith(UPLOADS):
        return None
    parts = key[len(UPLOADS) :].split("/")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def image_prefix(store_id: str, product: str, image_id: str) -> str:
    return f"stores/{store_id}/products/{product}/images/{image_id}/"


class ImageFiles:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def presigned_post(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> tuple[str, dict[str, str]]:
        """A form upload S3 itself checks: this key only, this content type only, 1 byte to max_bytes."""
        post: dict[str, Any] = client("s3").generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        )
        return str(post["url"]), {str(k): str(v) for k, v in post["fields"].items()}

    def head(self, key: str) -> UploadedObject | None:
        s3 = client("s3")
        try:
            found = s3.head_object(Bucket=self.bucket, Key=key)
        except s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return UploadedObject(key, int(found["ContentLength"]), found.get("VersionId"))

    def read(self, found: UploadedObject, max_bytes: int) -> bytes:
        """At most max_bytes + 1 bytes (a file that grew past the limit is noticed without reading it all)."""
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": found.key, "Range": f"bytes=0-{max_bytes}"}
        if found.version_id and found.version_id != "null":
            args["VersionId"] = found.version_id
        body: bytes = client("s3").get_object(**args)["Body"].read(max_bytes + 1)
        return body

    def discard_upload(self, found: UploadedObject) -> None:
        """Remove the uploaded file for good: with its version id, no noncurrent copy is left behind."""
        args: dict[str, Any] = {"Bucket": self.bucket, "Key": found.key}
        if found.version_id and found.version_id != "null":
            args["VersionId"] = found.version_id
        client("s3").delete_object(**args)

    def keep_original(self, found: UploadedObject, prefix: str, content_type: str) -> str:
        """Copy the checked upload under the image's prefix; the key of the copy."""
        key = f"{prefix}original.{extension(content_type)}"
        source: dict[str, str] = {"Bucket": self.bucket, "Key": found.key}
        if found.version_id and found.version_id != "null":
            source["VersionId"] = found.version_id
        client("s3").copy_object(
            Bucket=self.bucket,
            Key=key,
            CopySource=source,
            ContentType=content_type,
            MetadataDirective="REPLACE",
            CacheControl=IMMUTABLE,
        )
        return key

    def put_rendition(self, prefix: str, width: int, data: bytes) -> str:
        key = f"{prefix}{width}.webp"
        client("s3").put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType="image/webp", CacheControl=IMMUTABLE
        )
        return key

    def delete(self, keys: Iterable[str]) -> None:
        objects = [{"Key": k} for k in dict.fromkeys(keys)]
        for start in range(0, len(objects), 1000):  # DeleteObjects takes at most 1000 keys
            client("s3").delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects[start : start + 1000], "Quiet": True}
            )
