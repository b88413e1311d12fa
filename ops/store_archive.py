"""Where an export lives: a local folder or an S3 prefix, and the manifest that names and checks its files.

Layout (the same in a folder and under a prefix):
    manifest.json                 format, store, source, when, per table {file, items, sha256}, images {...}
    tables/<LogicalId>.jsonl      the table's items of the store (ops/store_items.py), sorted by key
    images/manifest.jsonl         one line per object of the images bucket under stores/<store>/:
                                  {key, size, sha256, content_type, cache_control, metadata}
    images/objects/<key>          the objects' bytes
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ops.store_items import sha256

FORMAT = "nozzly-store-export/1"
MANIFEST = "manifest.json"


class Archive(Protocol):
    def write(self, path: str, data: bytes) -> None: ...
    def read(self, path: str) -> bytes: ...
    def exists(self, path: str) -> bool: ...


@dataclass(frozen=True)
class Folder:
    root: Path

    def write(self, path: str, data: bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()


@dataclass(frozen=True)
class S3Prefix:
    s3: Any  # a boto3 S3 client
    bucket: str
    prefix: str  # no leading or trailing slash; may be empty

    def _key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def write(self, path: str, data: bytes) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=self._key(path), Body=data, ServerSideEncryption="AES256")

    def read(self, path: str) -> bytes:
        return bytes(self.s3.get_object(Bucket=self.bucket, Key=self._key(path))["Body"].read())

    def exists(self, path: str) -> bool:
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=self._key(path), MaxKeys=1)
        return any(o["Key"] == self._key(path) for o in listed.get("Contents", []))


def open_archive(location: str, s3: Any = None) -> Archive:
    """`s3://bucket/prefix` (with an S3 client) or a folder path."""
    if location.startswith("s3://"):
        bucket, _, prefix = location[len("s3://") :].partition("/")
        if not bucket:
            raise SystemExit(f"no bucket in {location}")
        return S3Prefix(s3, bucket, prefix.strip("/"))
    return Folder(Path(location))


class DamagedArchive(Exception):
    """A file of the export is missing or differs from what its manifest says."""


def table_file(logical_id: str) -> str:
    return f"tables/{logical_id}.jsonl"


IMAGES_FILE = "images/manifest.jsonl"


def object_file(key: str) -> str:
    return f"images/objects/{key}"


def read_manifest(archive: Archive) -> dict[str, Any]:
    if not archive.exists(MANIFEST):
        raise DamagedArchive(f"no {MANIFEST}: not a store export")
    manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    if manifest.get("format") != FORMAT:
        raise DamagedArchive(f"unknown export format {manifest.get('format')!r}, expected {FORMAT}")
    return manifest


def checked(archive: Archive, path: str, want_sha256: str) -> bytes:
    """The file's bytes, if its checksum is the manifest's."""
    if not archive.exists(path):
        raise DamagedArchive(f"{path} is missing")
    data = archive.read(path)
    if sha256(data) != want_sha256:
        raise DamagedArchive(f"{path} does not match its checksum in {MANIFEST}")
    return data
