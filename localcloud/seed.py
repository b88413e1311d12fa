"""Seeding the demo store MystmereForge into the local cloud, through the real CatalogImport workflow.

Idempotent: once every demo product exists the store is left alone (operators' edits survive a
restart). Otherwise - first run, or a run that stopped half-way - the demo images are staged in the
images bucket and the workflow imports the store, its categories and its products; each step of
the import is an upsert, so running it again writes nothing twice.

    python -m localcloud.seed          # against the running emulator (NOZZLY_EMULATOR_PORT, default 4566)
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

from localcloud.clients import ClientFactory
from localcloud.demo_images import png_for
from localcloud.demo_owner import ensure_demo_owner, ensure_demo_payouts
from localcloud.intrinsics import Resolver

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "mystmereforge.json"
POLL_SECONDS = 0.2


def load_demo(path: Path = DEMO_FILE) -> dict[str, Any]:
    """The CatalogImport workflow input for the demo store."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def image_keys(demo: dict[str, Any]) -> list[str]:
    """Every staged image key the demo refers to, each once, in order of appearance."""
    keys = (image["source_key"] for product in demo["products"] for image in product.get("images", []))
    return list(dict.fromkeys(keys))


def _already_seeded(client: ClientFactory, catalog_table: str, demo: dict[str, Any]) -> bool:
    store_id = demo["store"]["id"]
    keys = [{"pk": {"S": store_id}, "sk": {"S": f"PRODUCT#{p['slug']}"}} for p in demo["products"]]
    response = client("dynamodb").batch_get_item(
        RequestItems={catalog_table: {"Keys": keys, "ProjectionExpression": "sk", "ConsistentRead": True}}
    )
    # Anything unprocessed counts as missing: importing again is harmless.
    return len(response.get("Responses", {}).get(catalog_table, [])) == len(keys)


def _upload_images(client: ClientFactory, bucket: str, keys: list[str]) -> None:
    s3 = client("s3")
    for key in keys:
        content_type = mimetypes.guess_type(key)[0]
        if content_type != "image/png":  # png_for draws PNGs only: the type must tell the truth
            raise ValueError(f"demo image {key!r} must be a .png")
        name = posixpath.splitext(posixpath.basename(key))[0]
        s3.put_object(Bucket=bucket, Key=key, Body=png_for(name), ContentType=content_type)


def _failed_events(sfn: Any, execution_arn: str, limit: int = 5) -> list[str]:
    """The latest failure events of an execution, newest first; empty if the history is unavailable."""
    try:
        events = sfn.get_execution_history(executionArn=execution_arn, reverseOrder=True, maxResults=100)["events"]
    except Exception:  # best effort: the history only enriches the error message
        return []
    failures: list[str] = []
    for event in events:
        if not event["type"].endswith(("Failed", "TimedOut", "Aborted")):
            continue
        details = next((v for k, v in event.items() if k.endswith("EventDetails") and isinstance(v, dict)), {})
        failures.append(f"{event['type']}: {details.get('error', '?')}: {details.get('cause', '')}".rstrip(": "))
        if len(failures) == limit:
            break
    return failures


def seed_demo(client: ClientFactory, resolver: Resolver, api_url: str, *, timeout: float = 120) -> str:
    """Seed the demo store unless it exists; what was done, for a human. The API must be up (owner sign-up)."""
    demo = load_demo()
    store_id = demo["store"]["id"]
    if _already_seeded(client, resolver.names["CatalogTable"], demo):
        return "already seeded"
    ensure_demo_owner(api_url)
    _upload_images(client, resolver.names["ImagesBucket"], image_keys(demo))

    sfn = client("stepfunctions")
    # Always name the execution: moto names an unnamed one literally "None", so a second run would clash.
    execution_arn: str = sfn.start_execution(
        stateMachineArn=resolver.ref("CatalogImportStateMachine"),
        name=f"seed-{store_id}-{uuid4().hex[:12]}",
        input=json.dumps(demo),
    )["executionArn"]
    deadline = time.monotonic() + timeout
    while (execution := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        if time.monotonic() >= deadline:
            raise RuntimeError(f"seeding {store_id}: execution {execution_arn} still RUNNING after {timeout} s")
        time.sleep(POLL_SECONDS)

    if execution["status"] != "SUCCEEDED":
        lines = [
            f"seeding {store_id}: execution {execution_arn} ended {execution['status']}",
            f"error: {execution.get('error', '?')}; cause: {execution.get('cause', '?')}",
            *_failed_events(sfn, execution_arn),
        ]
        raise RuntimeError("\n".join(lines))
    output = json.loads(execution.get("output") or "{}")
    imported = output.get("products") if isinstance(output, dict) else None
    count = len(imported) if isinstance(imported, list) else len(demo["products"])
    # Card checkouts need the store's Stripe connected account: the demo owner onboards it at the local peer.
    account = ensure_demo_payouts(api_url, store_id)
    return f"seeded {count} products; card payments paid out to {account}"


def main() -> None:
    from localcloud.clients import aws_clients
    from localcloud.discovery import discover
    from localcloud.ports import api_port, emulator_url
    from localcloud.template import LOCAL_PARAMETERS, transformed

    client = aws_clients(emulator_url())
    resolver = discover(Resolver(transformed(parameters=LOCAL_PARAMETERS), dict(LOCAL_PARAMETERS)), client)
    print(seed_demo(client, resolver, f"http://127.0.0.1:{api_port()}"))


if __name__ == "__main__":
    main()
