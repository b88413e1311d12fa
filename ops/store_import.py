"""Import a store export into a stack, under its own id or a new one (`--as`).

    export PYTHONPATH=layers/common   # nozzly's domain code (a review's key)
    python -m ops.store_import --from ./exports/forge --as forge-copy --endpoint-url http://127.0.0.1:4566
    make import FROM=s3://backups/mystmereforge/2026-12-04 [AS=new-id] [OVERWRITE=1] [STACK=nozzly-prod REGION=...]

Every file is checked against the manifest's checksums before anything is written. The store's items now in the
target are read first: an import writes only what differs, so running it again writes nothing; when the target
holds items of the store that the export does not (another store under that id, or the store changed since),
it refuses unless `--overwrite`, which makes the target equal the export (extra items and objects deleted).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from ops.store_archive import IMAGES_FILE, Archive, checked, object_file, open_archive, read_manifest
from ops.store_items import Item, StoreRewrite, decode_lines, encode, item_key
from ops.store_rules import exported
from ops.store_stack import Stack, add_arguments, connect

STORE_ID = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"


class Refused(Exception):
    """The target already holds different data under the store id."""


@dataclass(frozen=True)
class TablePlan:
    puts: list[Item] = field(default_factory=list)
    deletes: list[Item] = field(default_factory=list)  # keys
    unchanged: int = 0


def plan_table(wanted: list[Item], present: list[Item], key_names: tuple[str, ...]) -> tuple[TablePlan, list[str]]:
    """What to write so the table holds `wanted`, and the keys of present items that differ or are not wanted."""
    have = {item_key(i, key_names): encode(i) for i in present}
    want = {item_key(i, key_names) for i in wanted}
    puts = [i for i in wanted if have.get(item_key(i, key_names)) != encode(i)]
    conflicts = [k for k in have if k not in want] + [
        item_key(i, key_names) for i in puts if item_key(i, key_names) in have
    ]
    deletes = [{n: v for n, v in i.items() if n in key_names} for i in present if item_key(i, key_names) not in want]
    return TablePlan(puts, deletes, len(wanted) - len(puts)), ["#".join(k) for k in conflicts]


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def import_store(
    stack: Stack, sam: dict[str, Any], archive: Archive, as_store: str | None = None, overwrite: bool = False
) -> dict[str, Any]:
    """Check, judge, then write; what was written per table and for the images."""
    manifest = read_manifest(archive)
    source, target = manifest["store"], as_store or manifest["store"]
    rewrite = StoreRewrite(source, target)
    plans: dict[str, TablePlan] = {}
    conflicts: list[str] = []
    for shape, rule in exported(sam):
        entry = manifest["tables"].get(shape.logical_id)
        data = checked(archive, entry["file"], entry["sha256"]) if entry else b""
        wanted = [rewrite.item(item, shape.key_attributes) for item in decode_lines(data)]
        present = list(stack.items(shape.logical_id, rule, target))
        plans[shape.logical_id], found = plan_table(wanted, present, ("pk", "sk"))
        conflicts += [f"{shape.logical_id} {key}" for key in found]
    objects = [json.loads(line) for line in checked(archive, IMAGES_FILE, manifest["images"]["sha256"]).splitlines()]
    bodies = {o["key"]: checked(archive, object_file(o["key"]), o["sha256"]) for o in objects}
    present_objects = {o["Key"]: o["ETag"].strip('"') for o in stack.objects(f"stores/{target}/")}
    object_puts = [o for o in objects if present_objects.get(rewrite.bucket_key(o["key"])) != _md5(bodies[o["key"]])]
    wanted_keys = {rewrite.bucket_key(o["key"]) for o in objects}
    conflicts += [
        f"images {rewrite.bucket_key(o['key'])}" for o in object_puts if rewrite.bucket_key(o["key"]) in present_objects
    ]
    conflicts += [f"images {key}" for key in present_objects if key not in wanted_keys]
    if conflicts and not overwrite:
        shown = "; ".join(conflicts[:5])
        raise Refused(
            f"{target} already holds {len(conflicts)} different items or objects ({shown}): --overwrite replaces them"
        )
    for logical_id, table_plan in plans.items():  # in the rules' order (ops/store_rules.py says why)
        stack.put(logical_id, table_plan.puts)
        stack.delete(logical_id, table_plan.deletes)
    for o in object_puts:
        extra = {"ContentType": o["content_type"]} if o.get("content_type") else {}
        extra |= {"CacheControl": o["cache_control"]} if o.get("cache_control") else {}
        key = rewrite.bucket_key(o["key"])
        stack.s3.put_object(
            Bucket=stack.images_bucket, Key=key, Body=bodies[o["key"]], Metadata=o.get("metadata") or {}, **extra
        )
    for key in [k for k in present_objects if k not in wanted_keys]:
        stack.s3.delete_object(Bucket=stack.images_bucket, Key=key)
    return {
        "store": target,
        "from": source,
        "tables": {
            lid: {"written": len(p.puts), "deleted": len(p.deletes), "unchanged": p.unchanged}
            for lid, p in plans.items()
        },
        "images": {"written": len(object_puts), "unchanged": len(objects) - len(object_puts)},
    }


def main(argv: list[str] | None = None) -> None:
    import re

    from localcloud.template import load_sam

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, help="a folder or s3://bucket/prefix")
    parser.add_argument("--as", dest="as_store", help="a new store id (default: the exported store's)")
    parser.add_argument("--overwrite", action="store_true", help="replace different data the target holds under the id")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.as_store and not re.match(STORE_ID, args.as_store):
        raise SystemExit(f"--as {args.as_store!r}: a store id is a slug of a-z, 0-9 and '-'")
    sam = load_sam()
    stack = connect(args, [shape.logical_id for shape, _ in exported(sam)])
    started = time.monotonic()
    try:
        report = import_store(stack, sam, open_archive(args.source, stack.s3), args.as_store, args.overwrite)
    except Refused as refused:
        raise SystemExit(f"import refused: {refused}") from None
    written = sum(t["written"] for t in report["tables"].values())
    unchanged = sum(t["unchanged"] for t in report["tables"].values())
    print(
        f"imported {report['from']} as {report['store']} into {stack.name}: "
        f"{written} items written, {unchanged} unchanged, "
        f"{report['images']['written']} objects written; {time.monotonic() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
