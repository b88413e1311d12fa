"""Export one store's whole data: every item of every table that belongs to it, and its images bucket objects.

    export PYTHONPATH=layers/common   # nozzly's domain code (a review's key)
    python -m ops.store_export --store mystmereforge --to ./exports/forge --endpoint-url http://127.0.0.1:4566
    python -m ops.store_export --store mystmereforge --to s3://backups/forge/2026-12-04 --stack nozzly-prod
    make export STORE=mystmereforge [TO=./folder | TO=s3://bucket/prefix] [STACK=nozzly-prod REGION=eu-west-1]

Which items belong to a store is ops/store_rules.py (one rule per table of template.yaml); the files and the
manifest are ops/store_archive.py; the items' encoding is ops/store_items.py. Read-only on the stack.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from typing import Any

from ops.store_archive import FORMAT, IMAGES_FILE, MANIFEST, Archive, object_file, open_archive, table_file
from ops.store_items import encode_lines, item_key, sha256
from ops.store_rules import Exported, Partition, exported
from ops.store_stack import Stack, add_arguments, connect

KEY_NAMES = ("pk", "sk")
PROFILE_RULE = Exported((Partition("{store}"),))  # a store exists when its partition of the stores table does


def images_prefix(store: str) -> str:
    return f"stores/{store}/"


def export_store(stack: Stack, sam: dict[str, Any], store: str, archive: Archive) -> dict[str, Any]:
    """Write the store's export to the archive; its manifest."""
    tables: dict[str, Any] = {}
    for shape, rule in exported(sam):
        items = sorted(stack.items(shape.logical_id, rule, store), key=lambda i: item_key(i, KEY_NAMES))
        data = encode_lines(items)
        archive.write(table_file(shape.logical_id), data)
        tables[shape.logical_id] = {"file": table_file(shape.logical_id), "items": len(items), "sha256": sha256(data)}
    lines, total = [], 0
    for summary in sorted(stack.objects(images_prefix(store)), key=lambda o: o["Key"]):
        got = stack.s3.get_object(Bucket=stack.images_bucket, Key=summary["Key"])
        body = got["Body"].read()
        archive.write(object_file(summary["Key"]), body)
        total += len(body)
        entry = {
            "key": summary["Key"],
            "size": len(body),
            "sha256": sha256(body),
            "content_type": got.get("ContentType"),
        }
        entry |= {"cache_control": got.get("CacheControl"), "metadata": got.get("Metadata") or {}}
        lines.append(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
    images = "".join(lines).encode()
    archive.write(IMAGES_FILE, images)
    manifest = {
        "format": FORMAT,
        "store": store,
        "source": {
            "stack": stack.name,
            "tables": dict(sorted(stack.tables.items())),
            "images_bucket": stack.images_bucket,
        },
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
        "images": {"file": IMAGES_FILE, "objects": len(lines), "bytes": total, "sha256": sha256(images)},
    }
    archive.write(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n")
    return manifest


def summary(manifest: dict[str, Any], seconds: float) -> str:
    counts = ", ".join(f"{lid} {t['items']}" for lid, t in manifest["tables"].items())
    items = sum(t["items"] for t in manifest["tables"].values())
    images = manifest["images"]
    return f"{items} items ({counts}); {images['objects']} objects, {images['bytes']} bytes; {seconds:.2f} s"


def main(argv: list[str] | None = None) -> None:
    from localcloud.template import load_sam

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--to", help="a folder or s3://bucket/prefix (default ./exports/<store>-<time>)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    sam = load_sam()
    stack = connect(args, [shape.logical_id for shape, _ in exported(sam)])
    to = args.to or f"./exports/{args.store}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    if next(stack.items("StoresTable", PROFILE_RULE, args.store), None) is None:
        raise SystemExit(f"store {args.store} has no items in {stack.tables['StoresTable']}: nothing to export")
    started = time.monotonic()
    manifest = export_store(stack, sam, args.store, open_archive(to, stack.s3))
    print(f"exported {args.store} to {to}: {summary(manifest, time.monotonic() - started)}")


if __name__ == "__main__":
    main()
