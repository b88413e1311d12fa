"""The Locust journey runs against the local cloud: every step of it is exercised and none fails.

Latency thresholds are not judged here (a test machine is busy); `make load` judges them.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.carts import PRODUCT, STORE, guest_sessions, open_store
from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e
STEPS = {
    "catalog: product list",
    "catalog: product page",
    "catalog: search",
    "cart: add item",
    "cart: update quantity",
    "cart: get",
    "checkout: start",
    "checkout: poll",
}


def test_the_storefront_journey_under_a_few_shoppers_has_no_failure(local_cloud: LocalCloud, tmp_path: Path) -> None:
    open_store(local_cloud.names)
    sessions = tmp_path / "sessions"
    sessions.write_text("\n".join(guest_sessions(local_cloud.names, 10)))
    env = local_cloud.env | {
        "LOAD_PROFILE": "smoke",
        "LOAD_STORE": STORE,
        "LOAD_PRODUCT": PRODUCT,
        "LOAD_SESSIONS": str(sessions),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        "tests/load/locustfile.py",
        "--headless",
        "--host",
        local_cloud.api_url,
        "--csv",
        str(tmp_path / "run"),
        "--only-summary",
        "--stop-timeout",
        "10",
    ]
    finished = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=120)
    assert "THRESHOLDS:" in finished.stdout, finished.stderr[-2000:]

    with (tmp_path / "run_stats.csv").open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    assert {name: int(rows[name]["Failure Count"]) for name in STEPS if name in rows} == dict.fromkeys(
        STEPS & rows.keys(), 0
    )
    assert {"catalog: product list", "catalog: product page", "cart: add item", "checkout: start"} <= rows.keys(), (
        finished.stderr[-3000:]
    )
