"""Readiness: can this deployment reach each table and the images bucket?"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from nozzly.kernel.adapters.aws import client


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def _table(name: str, table: str) -> CheckResult:
    try:
        status = client("dynamodb").describe_table(TableName=table)["Table"]["TableStatus"]
    except Exception as exc:  # any failure to reach the table is what readiness reports
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}")
    return CheckResult(name, status in ("ACTIVE", "UPDATING"), f"table {status}")


def _bucket(name: str, bucket: str) -> CheckResult:
    try:
        client("s3").head_bucket(Bucket=bucket)
    except Exception as exc:
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}")
    return CheckResult(name, True, "bucket reachable")


def run_checks(tables: dict[str, str], buckets: dict[str, str]) -> list[CheckResult]:
    """Run every check concurrently so readiness costs one round trip, not one per resource."""
    with ThreadPoolExecutor(max_workers=len(tables) + len(buckets)) as pool:
        futures = [pool.submit(_table, n, t) for n, t in tables.items()]
        futures += [pool.submit(_bucket, n, b) for n, b in buckets.items()]
        return [f.result() for f in futures]


class CachedChecks:
    """run_checks remembered for `seconds` per warm container: /health/ready is public, and without this each
    anonymous request would cost 13 AWS calls (one per table and bucket)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._found: tuple[float, list[CheckResult]] | None = None

    def run(self, tables: dict[str, str], buckets: dict[str, str]) -> list[CheckResult]:
        now = self.clock()
        if self._found is not None and now - self._found[0] < self.seconds:
            return self._found[1]
        results = run_checks(tables, buckets)
        self._found = (now, results)
        return results
