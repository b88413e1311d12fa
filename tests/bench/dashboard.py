"""Bench section 4: the operator dashboard's latency and DynamoDB calls for a store with 10 and 10,000 orders.

In process, against moto with every template resource (as the functional tests run): the handler, its adapters
and the calls it makes are the real ones; the figure to compare is the call count (the same at both sizes, the
README's promise), the latency is moto's and this machine's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.bench.report import heading, med, ms, percentile, table

SIZES = (10, 10_000)
READS = 20
OWNER = "bench-owner-0000-4000-8000-000000000001"


@contextmanager
def _cloud() -> Iterator[Any]:
    import sys

    import boto3
    import moto

    from tests.bench.catalog import LAYER

    if LAYER not in sys.path:
        sys.path.insert(0, LAYER)  # the code a function runs with

    from localcloud.provision import Provisioner
    from localcloud.template import LOCAL_PARAMETERS, REGION, functions, transformed
    from nozzly import wiring
    from nozzly.kernel.adapters import aws
    from tests.functional.harness import Cloud

    saved = dict(os.environ)
    os.environ.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": REGION})
    os.environ.update({"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_NAMESPACE": "Nozzly"})
    for key in [k for k in os.environ if k.startswith("AWS_ENDPOINT_URL")]:
        del os.environ[key]
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    specs = functions(cfn)

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]

    aws.client.cache_clear()
    wiring.reset()
    try:
        with moto.mock_aws(config={"lambda": {"use_docker": False}}):
            provisioner = Provisioner(cfn, client, dict(LOCAL_PARAMETERS))
            provisioner.run()
            resolver = provisioner.resolver
            environments = {
                logical_id: {k: str(v) for k, v in resolver.resolve(spec.environment).items()}
                for logical_id, spec in specs.items()
            }
            yield Cloud(resolver.names, specs, environments, os.environ.update, client)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        aws.client.cache_clear()
        wiring.reset()


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    from tests.functional.analytics_helpers import dashboard_calls, seed_orders
    from tests.functional.harness import STORE, seed_store

    rows = []
    with _cloud() as cloud:
        seed_store(cloud)
        member = {"pk": STORE, "sk": f"MEMBER#{OWNER}", "type": "member", "sub": OWNER, "role": "owner"}
        cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in member.items()})
        seeded = 0
        for size in SIZES:
            progress(f"dashboard: seeding {size} orders")
            seed_orders(cloud, size - seeded, first_number=2000 + seeded)
            seeded = size
            dashboard_calls(cloud, OWNER)  # warm: the first read imports the handler
            samples = [dashboard_calls(cloud, OWNER) for _ in range(READS)]
            calls = sorted({c for c, _, _ in samples})
            times = [t * 1000 for _, _, t in samples]
            rows.append([f"{size:,} orders", "/".join(map(str, calls)), ms(med(times)), ms(percentile(times, 95))])
    header = ["store", "DynamoDB calls", "p50 ms", "p95 ms"]
    section = [heading("4. Dashboard (in process, moto)"), *table(header, rows)]
    summary = [f"dashboard {r[0]}: {r[1]} DynamoDB calls, p50 {r[2]} ms, p95 {r[3]} ms" for r in rows]
    return section, summary
