"""Image files in the images bucket: presigned uploads under `uploads/`, kept originals and WebP renditions.

Layout: `uploads/{store}/{product}/{upload id}` or `uploads/{store}/{category|brand}/{slug}/{upload id}` (a file
being checked, deleted once processed: the key says what the upload is for, and the upload record must agree) and
`stores/{store}/products/{product}/images/{image id}/original-{tag}.{ext}` and `.../{width}-{tag}.webp` (tag: the
file's content hash, media/domain/images.content_tag, so the CDN may cache each URL for good), a category's
banner under `stores/{store}/categories/{slug}/image/{image id}/`, a brand's logo under
`stores/{store}/brands/{slug}/logo/{image id}/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters.aws import client
from nozzly.media.domain.image_checks import extension
from nozzly.media.domain.image_uploads import ImageOwner
from nozzly.media.domain.images import addressed_name, content_tag

UPLOADS = "uploads/"
IMMUTABLE = "public, max-age=31536000, immutable"  # an image id's files never change


@dataclass(frozen=True, slots=True)
class UploadedObject:
    key: str
    size: int
    version_id: str | None


# Where each kind's kept files live under the store's prefix (a product's images predate the other kinds).
_KEPT = {
    ImageOwner.PRODUCT: "products/{owner}/images",
    ImageOwner.CATEGORY: "categories/{owner}/image",
    ImageOwner.BRAND: "brands/{owner}/logo",
}


def upload_key(store_id: str, kind: ImageOwner, owner: str, upload_id: str) -> str:
    # Product keys keep their original three parts: uploads in flight during a deployment stay readable.
    middle = owner if kind is ImageOwner.PRODUCT else f"{kind.value}/{owner}"
    return f"{UPLOADS}{store_id}/{middle}/{upload_id}"


def parse_upload_key(key: str) -> tuple[str, ImageOwner, str, str] | None:
    """(store, kind, owner, upload id) of an upload's key; None for any other key."""
    if not key.startswith(UPLOADS):
        return None
    parts = key[len(UPLOADS) :].split("/")
    if not all(parts):
        return None
    if len(parts) == 3:
        return parts[0], ImageOwner.PRODUCT, parts[1], parts[2]
    if len(parts) == 4 and parts[1] in (ImageOwner.CATEGORY.value, ImageOwner.BRAND.value):
        return parts[0], ImageOwner(parts[1]), parts[2], parts[3]
    return None


def image_prefix(store_id: str, kind: ImageOwner, owner: str, image_id: str) -> str:
    return f"stores/{store_id}/{_KEPT[kind].format(owner=owner)}/{image_id}/"


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

    def keep_original(self, found: UploadedObject, prefix: str, content_type: str, data: bytes) -> str:
        """Copy the checked upload (whose bytes are `data`) under the image's prefix; the key of the copy."""
        key = prefix + addressed_name("original", content_tag(data), extension(content_type))
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

    def put_original(self, prefix: str, data: bytes, content_type: str) -> str:
        """An original that did not come through `uploads/` (a supplier's image, already checked)."""
        key = f"{prefix}original.{extension(content_type)}"
        client("s3").put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, CacheControl=IMMUTABLE
        )
        return key

    def delete_prefix(self, prefix: str) -> None:
        """Every file under `prefix` (an image's folder: a handful of files, one page of the listing)."""
        listed = client("s3").list_objects_v2(Bucket=self.bucket, Prefix=prefix).get("Contents", [])
        self.delete(str(o["Key"]) for o in listed)

    def put_rendition(self, prefix: str, width: int, data: bytes) -> str:
        key = prefix + addressed_name(str(width), content_tag(data), "webp")
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
