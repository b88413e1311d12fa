"""Delivering the catalog table's stream to SearchIndexer in functional tests, as the local cloud's poller does.

The mapping comes from the template (localcloud/streams.py reads the same EventSourceMapping), the records
from moto's DynamoDB Streams API, and each batch goes through the SearchIndexer handler with Lambda's event.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from typing import Any

from localcloud.intrinsics import Resolver
from localcloud.streams import Poller, mappings
from localcloud.template import LOCAL_PARAMETERS, transformed
from tests.functional.harness import STORE, Cloud, http_event


def stream_poller(cloud: Cloud) -> Poller:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    found = [
        m for m in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))) if m.logical_id.startswith("SearchIndexer")
    ]
    assert len(found) == 1, found
    return Poller(found[0], cloud.client)


def indexer(cloud: Cloud) -> Callable[[], int]:
    """A function that delivers every record the stream holds now; returns how many were delivered."""
    poller = stream_poller(cloud)

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        try:
            return cloud.invoke("SearchIndexer", event), None
        except Exception as exc:  # what Lambda reports as a function error
            return {"errorType": type(exc).__name__, "stackTrace": traceback.format_exc()}, "Unhandled"

    return lambda: poller.drain(invoke)


def storefront_event(path: str, query: dict[str, str] | None = None) -> dict[str, Any]:
    """An HTTP API event for a storefront route of the seeded store, as API Gateway builds it."""
    event = http_event("storefront_list_products.json", query=query or {})
    raw = path.replace("{store}", STORE)
    route = re.sub(r"^/stores/[^/]+/products/[^/]+/related$", "/stores/{store}/products/{product}/related", raw)
    route = re.sub(r"^/stores/[^/]+", "/stores/{store}", route)
    event["routeKey"] = event["requestContext"]["routeKey"] = f"GET {route}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = raw
    params = {"store": raw.split("/")[2]}
    if "{product}" in route:
        params["product"] = raw.split("/")[4]
    event["pathParameters"] = params
    return event
